/**
 * Issue 13's session points under Express 5 and 4 (and the other frameworks): 64-bit integers
 * from a real Python/itsdangerous cookie, method-named data keys with passport-style calls,
 * `__Host-`/`__Secure-` names, same-name cookies, and `Vary: Cookie` on every response that
 * carries the cookie.
 */
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { frameworks } from './support/frameworks';
import type { Handler } from './support/frameworks';

const PYTHON = '/usr/bin/python3';
const SECRET = 'regressions';

/** Signs the exact JSON text `data` as Starlette does, with Debian's itsdangerous. */
function pythonSign(data: string, secret = SECRET): string {
  const script = `
import sys, json
from base64 import b64encode
from itsdangerous import TimestampSigner
secret, data = sys.stdin.read().split("\\n", 1)
print(TimestampSigner(secret).sign(b64encode(json.dumps(json.loads(data)).encode("utf-8"))).decode())
`;
  return execFileSync(PYTHON, ['-c', script], {
    input: `${secret}\n${data}`,
    encoding: 'utf8',
  }).trim();
}

/** Verifies a cookie value as Starlette does and prints Python's repr of the data. */
function pythonRead(value: string): string {
  const script = `
import sys, json
from base64 import b64decode
from itsdangerous import TimestampSigner
secret, value = sys.stdin.read().split("\\n", 1)
print(repr(json.loads(b64decode(TimestampSigner(secret).unsign(value.strip(), max_age=60)))))
`;
  return execFileSync(PYTHON, ['-c', script], {
    input: `${SECRET}\n${value}`,
    encoding: 'utf8',
  }).trim();
}

function cookieOf(res: request.Response): string | undefined {
  const lines = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return /^session=([^;]*)/.exec(lines[0] ?? '')?.[1];
}

/** Reads the session, counts a visit, answers with the id as a string (res.json has no BigInt). */
const visits: Handler = (req, res) => {
  req.session.visits = ((req.session.visits as number | undefined) ?? 0) + 1;
  res.setHeader('Content-Type', 'application/json');
  res.end(
    JSON.stringify({ id: req.session.id, keys: Object.keys(req.session) }, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    ),
  );
};

describe.each(frameworks)('session(options) under $name', (fw) => {
  const build = (options: Partial<SessionOptions>, handler: Handler = visits) =>
    fw.create([session({ secretKey: SECRET, ...options })], handler);

  describe('when a Starlette session holds a 64-bit integer (issue 13.3)', () => {
    it('reads it exactly and writes it back exactly for Python', async () => {
      const value = pythonSign('{"id": 1234567890123456789, "visits": 1}');
      const res = await request(build({})).get('/').set('Cookie', `session=${value}`);
      expect(res.body).toEqual({ id: '1234567890123456789', keys: ['id', 'visits'] });
      expect(pythonRead(cookieOf(res)!)).toBe("{'id': 1234567890123456789, 'visits': 2}");
    });
  });

  describe('when the session data has keys named like the methods (issue 13.4)', () => {
    it('keeps save/regenerate/destroy/setMaxAge callable and the keys unchanged', async () => {
      const handler: Handler = (req, res) => {
        req.session.visits = 2;
        req.session.setMaxAge(60);
        req.session.save((err) => {
          res.statusCode = err ? 500 : 200;
          res.end(String(Object.keys(req.session)));
        });
      };
      const value = pythonSign('{"save": 1, "regenerate": "r", "destroy": [1], "setMaxAge": null}');
      const res = await request(build({}, handler)).get('/').set('Cookie', `session=${value}`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('visits');
      expect(pythonRead(cookieOf(res)!)).toBe(
        "{'visits': 2, 'save': 1, 'regenerate': 'r', 'destroy': [1], 'setMaxAge': None, '_mw_max_age': 60}",
      );
    });
  });

  describe('when the cookie name has a prefix browsers check (issue 13.7)', () => {
    it.each<[string, Partial<SessionOptions>]>([
      ['__Host- without httpsOnly', { sessionCookie: '__Host-sid' }],
      ['__Host- with a path', { sessionCookie: '__Host-sid', httpsOnly: true, path: '/app' }],
      [
        '__Host- with a domain',
        { sessionCookie: '__Host-sid', httpsOnly: true, domain: 'a.example' },
      ],
      ['__Secure- without httpsOnly', { sessionCookie: '__Secure-sid' }],
    ])('refuses %s at construction', (_name, options) => {
      expect(() => build(options)).toThrow(/option "sessionCookie" .* requires httpsOnly: true/);
    });

    it('sets a valid __Host- cookie', async () => {
      const res = await request(build({ sessionCookie: '__Host-sid', httpsOnly: true })).get('/');
      expect(String(res.headers['set-cookie'])).toMatch(/^__Host-sid=.*; path=\/; .*; secure$/);
    });
  });

  describe('when several cookies share the name (issue 13.10)', () => {
    it("uses the one that verifies, not a sibling app's cookie sent last", async () => {
      const ours = pythonSign('{"visits": 5}');
      const sibling = pythonSign('{"visits": 100}', 'a-sibling-app');
      const res = await request(build({}))
        .get('/')
        .set('Cookie', `session=${ours}; session=${sibling}`);
      expect(res.body.keys).toEqual(['visits']);
      expect(pythonRead(cookieOf(res)!)).toBe("{'visits': 6}");
    });
  });

  describe('when the cookie is re-issued without the app touching it (issue 13.11)', () => {
    const untouched: Handler = (_req, res) => res.end('static');
    it.each<[string, Partial<SessionOptions>, string]>([
      ['rolling', { rolling: true }, SECRET],
      ['the re-sign after key rotation', { secretKey: ['new-key', SECRET] }, SECRET],
    ])('marks the response Vary: Cookie under %s', async (_name, options, signedWith) => {
      const value = pythonSign('{"user": "ada"}', signedWith);
      const res = await request(build(options, untouched))
        .get('/')
        .set('Cookie', `session=${value}`);
      expect(cookieOf(res)).toBeDefined();
      expect(res.headers['vary']).toBe('Cookie');
    });
  });
});
