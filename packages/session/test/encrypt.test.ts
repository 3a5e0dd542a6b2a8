/** encrypt: true: AES-256-GCM sealed cookies, HKDF keys, rotation, and every bad cookie empty. */
import fc from 'fast-check';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { pythonJson } from '../src/json';
import { SEALED_PREFIX, Sealer } from '../src/sealer';
import { GOLDEN_TIME, app, cookieValue, sendJson, setCookies, signed, useClock } from './helpers';

const clock = useClock();
const sealed = (data: unknown, secret = 'example', at = GOLDEN_TIME, name = 'session'): string =>
  new Sealer([secret], name).sign(pythonJson(data)!, at);

function echo(options: Partial<SessionOptions> = {}) {
  return app(session({ secretKey: 'example', encrypt: true, ...options }), {
    'GET /': (req, res) => sendJson(res, req.session),
    'GET /set': (req, res) => {
      req.session.user = 'ada';
      sendJson(res, req.session);
    },
    'GET /big': (req, res) => {
      req.session.x = 'a'.repeat(Number(new URL(req.url!, 'http://h').searchParams.get('n')));
      req.session.save((err) => res.end(err ? err.message : 'ok'));
    },
  });
}

describe('session({ encrypt: true })', () => {
  describe('when writing', () => {
    it('seals the session: versioned, URL-safe, not readable without the key', async () => {
      const res = await request(echo()).get('/set');
      const value = cookieValue(res)!;
      expect(value).toMatch(/^m1\.[\w-]+$/);
      expect(Buffer.from(value.slice(3), 'base64url').toString('latin1')).not.toContain('ada');
      const again = cookieValue(await request(echo()).get('/set'))!;
      expect(again).not.toBe(value); // a fresh IV per cookie
      expect(setCookies(res)[0]).toMatch(/; path=\/; Max-Age=1209600; httponly; samesite=lax$/);
    });

    it('reads back what it sealed', async () => {
      const value = cookieValue(await request(echo()).get('/set'))!;
      const res = await request(echo()).get('/').set('Cookie', `session=${value}`);
      expect(res.body).toEqual({ user: 'ada' });
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('when a cookie is bad, it is an empty session (200, no error)', () => {
    const good = sealed({ user: 'ada' });
    it.each<[string, string]>([
      ['a signed (Starlette) cookie', signed({ user: 'ada' })],
      ['sealed under a foreign secret', sealed({ user: 'ada' }, 'foreign')],
      ['sealed for another cookie name', sealed({ user: 'ada' }, 'example', GOLDEN_TIME, 'other')],
      ['without the version prefix', good.slice(SEALED_PREFIX.length)],
      ['of an unknown version', `m2.${good.slice(3)}`],
      ['truncated by one character', good.slice(0, -1)],
      ['truncated to the IV', good.slice(0, 3 + 16)],
      ['with a changed padding bit', good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A')],
      ['not base64', 'm1.!!!!'],
      ['expired', sealed({ user: 'ada' }, 'example', GOLDEN_TIME - 1209601)],
      ['from the future', sealed({ user: 'ada' }, 'example', GOLDEN_TIME + 5)],
    ])('%s', async (_name, value) => {
      const res = await request(echo()).get('/').set('Cookie', `session=${value}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    });

    it('never takes a sealed cookie as a signed one', async () => {
      const plain = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => sendJson(res, req.session),
      });
      const res = await request(plain).get('/').set('Cookie', `session=${good}`);
      expect(res.body).toEqual({});
    });
  });

  describe('with several secret keys', () => {
    it('opens a cookie sealed by an older key and re-seals it with the first', async () => {
      const server = echo({ secretKey: ['new', 'old'] });
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${sealed({ a: 1 }, 'old')}`);
      expect(res.body).toEqual({ a: 1 });
      const resealed = cookieValue(res)!;
      expect(new Sealer(['new'], 'session').verify(resealed)?.json).toBe('{"a": 1}');
      expect(new Sealer(['old'], 'session').verify(resealed)).toBeUndefined();
      expect(res.headers['vary']).toBe('Cookie');
    });
  });

  describe('the 4096-byte rule', () => {
    it('refuses a sealed cookie over 4096 bytes with the same error as signed ones', async () => {
      const small = await request(echo()).get('/big?n=2000');
      expect(small.text).toBe('ok');
      const big = await request(echo({ onError: () => undefined })).get('/big?n=3100');
      expect(big.text).toMatch(/over the 4096-byte limit/);
      expect(setCookies(big)).toEqual([]);
    });
  });

  describe('a property: any change of a valid sealed cookie is rejected', () => {
    const sealer = new Sealer(['example'], 'session');
    const value = sealer.sign('{"user": "alice", "roles": ["admin"]}', GOLDEN_TIME);
    it('opens the unchanged cookie', () => {
      expect(sealer.verify(value)?.json).toBe('{"user": "alice", "roles": ["admin"]}');
    });
    it('opens none of its single-character changes, cuts or extensions', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: value.length - 1 }),
          fc.constantFrom('A', 'a', '0', '-', '_', '.', 'z', 'Q'),
          fc.constantFrom('replace', 'cut', 'extend'),
          (i, ch, how) => {
            const changed =
              how === 'replace'
                ? value.slice(0, i) + ch + value.slice(i + 1)
                : how === 'cut'
                  ? value.slice(0, i)
                  : value.slice(0, i) + ch + value.slice(i);
            if (changed === value) return;
            expect(sealer.verify(changed)).toBeUndefined();
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  it('keeps the time check inside the seal', () => {
    clock.set(GOLDEN_TIME + 10);
    expect(
      new Sealer(['k'], 's').verify(new Sealer(['k'], 's').sign('{}', GOLDEN_TIME))?.signedAt,
    ).toBe(GOLDEN_TIME);
  });
});
