import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { decisions } from '../../../test-support/decisions';
import { app, cookieValue, GOLDEN_TIME, useClock } from './helpers';

const SECRET = 'the-secret-key-never-logged';
const clock = useClock();

/** A cookie signed by this secret at GOLDEN_TIME, holding `{"user":"alice"}`. */
async function signedCookie(options: Partial<SessionOptions> = {}): Promise<string> {
  const res = await request(app(session({ secretKey: SECRET, ...options })))
    .post('/update_session')
    .send({ user: 'alice' });
  return cookieValue(res)!;
}

const view = (options: Partial<SessionOptions>, cookie?: string) =>
  decisions('session', () => {
    const test = request(app(session({ secretKey: SECRET, ...options }))).get(
      '/view_session?sid=1',
    );
    return cookie === undefined ? test : test.set('Cookie', cookie);
  });

describe('session(options) on the mw:session diagnostics channel', () => {
  it.each<[string, () => Promise<string | undefined>, string]>([
    ['no Cookie header', async () => undefined, 'missing (the request has no Cookie header)'],
    [
      'cookies of other names',
      async () => 'theme=dark',
      'missing (the request has cookies, but none with this name: check sessionCookie, path and domain)',
    ],
    [
      'a cookie of the wrong format',
      async () => 'session=not-a-signed-value',
      'wrong format (not an itsdangerous payload.timestamp.signature)',
    ],
    [
      'a cookie signed with another key',
      async () => `session=${(await signedCookie()).slice(0, -3)}AAA`,
      'signature does not verify (signed with another secretKey, or altered)',
    ],
  ])('publishes cookie-ignored for %s', async (_name, cookie, why) => {
    const seen = await view({}, await cookie());
    expect(seen).toEqual([
      {
        package: 'session',
        event: 'cookie-ignored',
        reason: `ignored cookie session: ${why}; the session starts empty`,
        method: 'GET',
        path: '/view_session',
        cookie: 'session',
      },
    ]);
  });

  it('publishes cookie-ignored for an expired cookie', async () => {
    const value = await signedCookie({ maxAge: 60 });
    clock.set(GOLDEN_TIME + 61);
    expect(await view({ maxAge: 60 }, `session=${value}`)).toEqual([
      expect.objectContaining({
        event: 'cookie-ignored',
        reason:
          'ignored cookie session: expired (signed more than maxAge 60 s ago, or in the future); the session starts empty',
      }),
    ]);
  });

  it('publishes too-large when the cookie would not fit', async () => {
    const seen = await decisions('session', () =>
      request(app(session({ secretKey: SECRET, onError: () => {} })))
        .post('/update_session')
        .send({ big: 'x'.repeat(5000) }),
    );
    expect(seen).toContainEqual(
      expect.objectContaining({
        event: 'too-large',
        reason: expect.stringMatching(
          /^not written: the cookie would be \d+ bytes, over the 4096-byte limit/,
        ),
        limit: 4096,
      }),
    );
  });

  it('publishes secure-on-plain-http when an httpsOnly cookie goes out over plain HTTP', async () => {
    const seen = await decisions('session', () =>
      request(app(session({ secretKey: SECRET, httpsOnly: true })))
        .post('/update_session')
        .send({ user: 'alice' }),
    );
    expect(seen).toContainEqual(
      expect.objectContaining({
        event: 'secure-on-plain-http',
        reason: expect.stringContaining('sent cookie session with Secure on a plain-HTTP request'),
      }),
    );
  });

  it('never publishes the cookie value or the secret', async () => {
    const value = await signedCookie();
    const seen = await view({ secretKey: 'another-secret' }, `session=${value}`);
    expect(seen).toHaveLength(1);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.split('.')[0]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('another-secret');
  });

  it('publishes nothing for a cookie that verifies', async () => {
    expect(await view({}, `session=${await signedCookie()}`)).toEqual([]);
  });
});
