/** Writing: exact Set-Cookie spelling, the clearing cookie, Vary: Cookie, the app's own lines. */
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { app, rawHeaders, sendJson, setCookies, signed, storeAndClear, useClock } from './helpers';

useClock();
const VALUE = signed({ some: 'data' });

describe('session(options)', () => {
  describe('when storing the session', () => {
    it.each<[string, Omit<SessionOptions, 'secretKey'>, string]>([
      ['the defaults', {}, `session=${VALUE}; path=/; Max-Age=1209600; httponly; samesite=lax`],
      [
        'every option (S14)',
        {
          sessionCookie: 'sid',
          path: '/sub',
          maxAge: 3600,
          sameSite: 'strict',
          httpsOnly: true,
          domain: '.example.com',
        },
        `sid=${VALUE}; path=/sub; Max-Age=3600; httponly; samesite=strict; secure; domain=.example.com`,
      ],
      [
        'partitioned with sameSite none',
        { sameSite: 'none', httpsOnly: true, partitioned: true },
        `session=${VALUE}; path=/; Max-Age=1209600; httponly; samesite=none; secure; partitioned`,
      ],
      ['maxAge null (S10)', { maxAge: null }, `session=${VALUE}; path=/; httponly; samesite=lax`],
      [
        'maxAge 0 (S11: falsy, no Max-Age)',
        { maxAge: 0 },
        `session=${VALUE}; path=/; httponly; samesite=lax`,
      ],
      [
        'maxAge -1 (S13)',
        { maxAge: -1 },
        `session=${VALUE}; path=/; Max-Age=-1; httponly; samesite=lax`,
      ],
      [
        'domain without a leading dot',
        { domain: 'example.com' },
        `session=${VALUE}; path=/; Max-Age=1209600; httponly; samesite=lax; domain=example.com`,
      ],
    ])('writes %s exactly as Starlette', async (_name, options, expected) => {
      const res = await request(storeAndClear(options)).get('/store');
      expect(setCookies(res)).toEqual([expected]);
    });
  });

  describe('when a valid session is emptied', () => {
    it.each<[string, Omit<SessionOptions, 'secretKey'>, string]>([
      [
        'the defaults (S06)',
        {},
        'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax',
      ],
      [
        'every option (S15: same flags as storing, no Max-Age)',
        {
          sessionCookie: 'sid',
          path: '/sub',
          sameSite: 'none',
          httpsOnly: true,
          domain: 'a.example',
          partitioned: true,
        },
        'sid=null; path=/sub; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=none; secure; domain=a.example; partitioned',
      ],
    ])('sends the clearing cookie with %s', async (_name, options, expected) => {
      const name = options.sessionCookie ?? 'session';
      const res = await request(storeAndClear(options))
        .get('/clear')
        .set('Cookie', `${name}=${VALUE}`);
      expect(setCookies(res)).toEqual([expected]);
    });

    it.each([
      ['tampered (S07)', VALUE.slice(0, -1) + 'x'],
      ['expired (S08)', signed({ some: 'data' }, 'example', 1)],
      ['foreign (S09)', signed({ some: 'data' }, 'other')],
    ])('never clears a %s cookie (S26)', async (_name, value) => {
      const res = await request(storeAndClear({})).get('/clear').set('Cookie', `session=${value}`);
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('Vary: Cookie', () => {
    it('is written before Set-Cookie, as Starlette does', async () => {
      const headers = await rawHeaders(storeAndClear({}), '/store');
      const names = headers.map(([name]) => name);
      expect(names.indexOf('vary')).toBeLessThan(names.indexOf('set-cookie'));
      expect(headers.find(([name]) => name === 'vary')![1]).toBe('Cookie');
    });

    it("joins the app's own Vary value", async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          res.setHeader('Vary', 'Accept-Encoding');
          sendJson(res, req.session);
        },
      });
      const res = await request(server).get('/');
      expect(res.headers['vary']).toBe('Accept-Encoding, Cookie');
    });

    it('is added when req.session is only assigned', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session = { a: 1 };
          res.end();
        },
      });
      expect((await request(server).get('/')).headers['vary']).toBe('Cookie');
    });
  });

  describe("the app's own Set-Cookie lines", () => {
    it.each<[string, (res: import('node:http').ServerResponse) => void]>([
      ['set with setHeader', (res) => res.setHeader('Set-Cookie', ['a=1', 'b=2'])],
      ['passed to writeHead', (res) => res.writeHead(200, { 'Set-Cookie': ['a=1', 'b=2'] })],
      [
        'passed to writeHead as raw pairs',
        (res) =>
          res.writeHead(200, [
            ['Set-Cookie', 'a=1'],
            ['Set-Cookie', 'b=2'],
          ]),
      ],
    ])('are kept (S17) when %s', async (_name, write) => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session.some = 'data';
          write(res);
          res.end();
        },
      });
      const cookies = (await rawHeaders(server, '/'))
        .filter(([name]) => name === 'set-cookie')
        .map(([, value]) => value);
      expect(cookies).toEqual([
        'a=1',
        'b=2',
        `session=${VALUE}; path=/; Max-Age=1209600; httponly; samesite=lax`,
      ]);
    });
  });
});
