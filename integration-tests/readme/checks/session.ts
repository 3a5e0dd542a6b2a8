/** @mw/session README examples. */
import { session } from '@mw/session';
import { TimestampSigner } from '../../../packages/session/src/signer';
import { serve } from '../support';
import type { Answer, Checks, Client } from '../support';

const SECRET = 'readme-example-secret';
const OLD_SECRET = 'readme-example-old-secret';

/** The `session` cookie an answer sets, as `name=value` (or undefined). */
function sessionCookie(answer: Answer): string | undefined {
  const lines = answer.headers['set-cookie'] ?? [];
  return lines.find((line) => line.startsWith('session='))?.split(';')[0];
}

/** A cookie as a Starlette service signs `json` (Python's `json.dumps` spacing) with `secret`. */
function starletteCookie(json: string, secret = SECRET): string {
  return `session=${new TimestampSigner([secret]).sign(json, Math.floor(Date.now() / 1000))}`;
}

/** A cookie holding `{ user }`, written by this middleware with `secretKey: secret`. */
async function cookieSignedBy(secret: string, user: string): Promise<string> {
  const app = await serve(session({ secretKey: secret }), (req, res) => {
    req.session.user = user;
    res.end('OK');
  });
  const cookie = sessionCookie(await app.request('/'));
  expect(cookie).toBeDefined();
  return cookie!;
}

/** The user a middleware with only `secret` reads from `cookie`. */
async function userReadWith(secret: string, cookie: string): Promise<unknown> {
  const app = await serve(session({ secretKey: secret }), (req, res) =>
    res.end(JSON.stringify(req.session.user ?? null)),
  );
  return JSON.parse((await app.request('/', { headers: { Cookie: cookie } })).body);
}

function form(app: Client, path: string, body: string, cookie?: string): Promise<Answer> {
  return app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body,
  });
}

export const checks: Checks = {
  'examples/readme/session/express.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET },
    async check(app) {
      const first = await app.request('/cart?item=apple', { method: 'POST' });
      expect([first.status, JSON.parse(first.body)]).toEqual([200, ['apple']]);
      const cookie = sessionCookie(first);
      expect(cookie).toMatch(/^session=/);
      const second = await app.request('/cart?item=pear', {
        method: 'POST',
        headers: { Cookie: cookie! },
      });
      expect(JSON.parse(second.body)).toEqual(['apple', 'pear']);
      const fresh = await app.request('/cart?item=fig', { method: 'POST' });
      expect(JSON.parse(fresh.body)).toEqual(['fig']);
    },
  },
  'examples/readme/session/node-http.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET },
    async check(app) {
      const first = await app.request('/');
      expect([first.status, first.body]).toEqual([200, 'views: 1']);
      const second = await app.request('/', { headers: { Cookie: sessionCookie(first)! } });
      expect(second.body).toBe('views: 2');
      const third = await app.request('/', { headers: { Cookie: sessionCookie(second)! } });
      expect(third.body).toBe('views: 3');
      const forged = await app.request('/', {
        headers: { Cookie: starletteCookie('{"views": 99}', 'other') },
      });
      expect(forged.body).toBe('views: 1');
    },
  },
  'examples/readme/session/types.ts': {
    kind: 'module',
    env: { SESSION_SECRET: SECRET },
    async check({ withSession, addApple }, serve) {
      const app = await serve(withSession, addApple as Parameters<typeof serve>[1]);
      const first = await app.request('/');
      expect(first.body).toBe('apple');
      const second = await app.request('/', { headers: { Cookie: sessionCookie(first)! } });
      expect(second.body).toBe('apple,apple');
    },
  },
  'examples/readme/session/key-rotation.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET, OLD_SESSION_SECRET: OLD_SECRET },
    async check(app) {
      const old = await cookieSignedBy(OLD_SECRET, 'ada');
      const answer = await app.request('/me', { headers: { Cookie: old } });
      expect(JSON.parse(answer.body)).toEqual({ user: 'ada' });
      // Re-signed with the new secret, which alone reads it once the old one is removed.
      const resigned = sessionCookie(answer);
      expect(resigned).toMatch(/^session=/);
      expect(await userReadWith(SECRET, resigned!)).toBe('ada');
      expect(await userReadWith(OLD_SECRET, resigned!)).toBeNull();
      const current = await cookieSignedBy(SECRET, 'grace');
      const read = await app.request('/me', { headers: { Cookie: current } });
      expect(JSON.parse(read.body)).toEqual({ user: 'grace' });
      const unknown = await cookieSignedBy('some-other-secret', 'mallory');
      const refused = await app.request('/me', { headers: { Cookie: unknown } });
      expect(JSON.parse(refused.body)).toEqual({ user: null });
    },
  },
  'examples/readme/session/passport.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET },
    async check(app) {
      const wrong = await form(app, '/login', 'username=ada&password=babbage');
      expect([wrong.status, wrong.headers.location]).toEqual([302, '/login']);
      expect(sessionCookie(wrong)).toBeUndefined();

      const login = await form(app, '/login', 'username=ada&password=lovelace');
      expect([login.status, login.headers.location]).toEqual([302, '/']);
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^session=.*; secure$/);
      const cookie = sessionCookie(login)!;
      const home = await app.request('/', { headers: { Cookie: cookie } });
      expect(home.body).toBe('Hello, ada');
      expect((await app.request('/')).body).toBe('Hello');

      const logout = await form(app, '/logout', '', cookie);
      expect([logout.status, logout.headers.location]).toEqual([302, '/']);
      const after = sessionCookie(logout);
      expect(after).toBeDefined();
      expect((await app.request('/', { headers: { Cookie: after! } })).body).toBe('Hello');
    },
  },
  'examples/readme/session/starlette.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET },
    async check(app) {
      const login = await app.request('/login?user=ada', { method: 'POST' });
      expect(login.status).toBe(204);
      // Starlette's SessionMiddleware(session_cookie="session", max_age=14 * 24 * 3600,
      // same_site="lax", https_only=True) sets exactly these attributes.
      expect(login.headers['set-cookie']).toEqual([
        expect.stringMatching(
          /^session=[\w+/=]+\.[\w-]+\.[\w-]+; path=\/; Max-Age=1209600; httponly; samesite=lax; secure$/,
        ),
      ]);
      // What it wrote is what Starlette reads: the signed JSON as Python's json.dumps writes it.
      const value = sessionCookie(login)!.slice('session='.length);
      const verified = new TimestampSigner([SECRET]).verify(value);
      expect(verified).toBeDefined();
      const payload = Buffer.from(value.split('.')[0]!, 'base64').toString();
      expect(payload).toBe('{"user": "ada"}');
      // And it reads what Starlette wrote.
      const fromPython = starletteCookie('{"user": "grace"}');
      const me = await app.request('/me', { headers: { Cookie: fromPython } });
      expect(JSON.parse(me.body)).toEqual({ user: 'grace' });
    },
  },
  'examples/readme/session/bigint.ts': {
    kind: 'program',
    env: { SESSION_SECRET: SECRET },
    async check(app) {
      // A 64-bit id as a Python service writes it: read exactly, sent as a string.
      const cookie = starletteCookie('{"userId": 1234567890123456789}');
      const me = await app.request('/me', { headers: { Cookie: cookie } });
      expect([me.status, me.body]).toEqual([200, '{"userId":"1234567890123456789"}']);
      const none = await app.request('/me');
      expect([none.status, none.body]).toEqual([200, '{}']);
    },
  },
};
