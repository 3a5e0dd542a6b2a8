import request from 'supertest';
import type { CorsOptions } from '@mw/cors';
import { O, serve } from './helpers';

/** The Access-Control-Allow-Origin a GET with `origin` gets under `options`. */
async function acao(options: CorsOptions, origin: string): Promise<string | undefined> {
  const res = await request(serve(options)).get('/').set('Origin', origin);
  return res.headers['access-control-allow-origin'] as string | undefined;
}

describe('cors(options)', () => {
  describe('with allowOriginRegex', () => {
    const options = {
      allowHeaders: ['X-Example', 'Content-Type'],
      allowOriginRegex: 'https://.*',
      allowCredentials: true,
    };

    it('CORS-8(a): reflects a matching origin with credentials', async () => {
      const res = await request(serve(options)).get('/').set('Origin', O);
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    it('CORS-8(b): answers the same with a Cookie', async () => {
      const res = await request(serve(options))
        .get('/')
        .set('Origin', O)
        .set('Cookie', 'star_cookie=sugar');
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    it('CORS-8(c): sends no Access-Control-Allow-Origin to a non-matching origin', async () => {
      const res = await request(serve(options)).get('/').set('Origin', 'http://example.org');
      expect(res.status).toBe(200);
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('CORS-8(d): answers a matching preflight with the origin and sorted headers', async () => {
      const res = await request(serve(options))
        .options('/')
        .set('Origin', 'https://another.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Example, content-type');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-origin']).toBe('https://another.com');
      expect(res.headers['access-control-allow-headers']).toBe(
        'Accept, Accept-Language, Content-Language, Content-Type, X-Example',
      );
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    it('CORS-8(e): refuses a non-matching preflight origin', async () => {
      const res = await request(serve(options))
        .options('/')
        .set('Origin', 'http://another.com')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Example');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    const fullmatch = {
      allowHeaders: ['X-Example', 'Content-Type'],
      allowOriginRegex: 'https://.*\\.example.org',
    };

    it('CORS-9(a): reflects a subdomain matched in full, without credentials', async () => {
      const res = await request(serve(fullmatch))
        .get('/')
        .set('Origin', 'https://subdomain.example.org');
      expect(res.headers['access-control-allow-origin']).toBe('https://subdomain.example.org');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('CORS-9(b): refuses an origin the pattern only prefixes', async () => {
      const res = await request(serve(fullmatch))
        .get('/')
        .set('Origin', 'https://subdomain.example.org.hacker.com');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it.each([
      [/example\.com$/, 'https://evilexample.com', undefined],
      [/^https:\/\/example\.com/, 'https://example.com.evil.com', undefined],
      [/https:\/\/example\.com/, 'https://example.com', 'https://example.com'],
      ['https://a\\.com|https://b\\.com', 'https://b.com', 'https://b.com'],
      ['https://a\\.com|https://b\\.com', 'https://b.com.evil.com', undefined],
    ])('matches %p against the whole origin %s (answer %s)', async (regex, origin, expected) => {
      expect(await acao({ allowOriginRegex: regex }, origin)).toBe(expected);
    });

    it.each([
      /https:\/\/a\.example\.com/g,
      /https:\/\/a\.example\.com/y,
      /https:\/\/a\.example\.com/gy,
    ])('carries no lastIndex between requests for %p', async (regex) => {
      const app = serve({ allowOriginRegex: regex });
      for (let i = 0; i < 4; i++) {
        const res = await request(app).get('/').set('Origin', 'https://a.example.com');
        expect(res.headers['access-control-allow-origin']).toBe('https://a.example.com');
      }
      expect(regex.lastIndex).toBe(0);
    });

    it('keeps the i flag of a RegExp', async () => {
      expect(
        await acao({ allowOriginRegex: /https:\/\/APP\.example\.com/i }, 'https://app.example.com'),
      ).toBe('https://app.example.com');
    });
  });

  describe('with allowOrigins (Beyond Starlette: compared as serialized origins)', () => {
    it.each([
      ['HTTPS://EXAMPLE.ORG', 'HTTPS://EXAMPLE.ORG'],
      ['https://Example.org', 'https://Example.org'],
      ['https://example.org:443', 'https://example.org:443'],
    ])(
      'matches %s case-insensitively and without a default port, answering its own value (C29 differs in Starlette)',
      async (origin, expected) => {
        expect(await acao({ allowOrigins: [O] }, origin)).toBe(expected);
      },
    );

    it('matches a configured entry written in upper case or with the default port', async () => {
      expect(await acao({ allowOrigins: ['HTTPS://Example.ORG:443'] }, O)).toBe(O);
    });

    it.each([
      ['http://example.org', 'another scheme'],
      ['https://example.org:8443', 'another port'],
      ['https://example.org.', 'a trailing dot'],
      ['https://example.org/', 'a trailing slash'],
      ['https://user@example.org', 'userinfo'],
    ])('refuses %s (%s)', async (origin) => {
      expect(await acao({ allowOrigins: [O] }, origin)).toBeUndefined();
    });

    it('matches an IPv6 origin', async () => {
      expect(await acao({ allowOrigins: ['http://[::1]:3000'] }, 'http://[::1]:3000')).toBe(
        'http://[::1]:3000',
      );
    });
  });

  describe("with a wildcard entry like 'https://*.example.com' (Beyond Starlette)", () => {
    const options = { allowOrigins: ['https://*.example.com'] };

    it.each([
      ['https://a.example.com', true],
      ['https://a.b.example.com', true],
      ['https://A.Example.COM', true],
      ['https://a.example.com:443', true],
      ['https://example.com', false],
      ['https://.example.com', false],
      ['https://evilexample.com', false],
      ['https://a.example.com.evil.com', false],
      ['http://a.example.com', false],
      ['https://a.example.com:8443', false],
      ['https://a.example.co', false],
      ['https://a..example.com', false],
      ['null', false],
    ])('answers %s: allowed %p', async (origin, allowed) => {
      expect(await acao(options, origin)).toBe(allowed ? origin : undefined);
    });

    it('matches the port it names', async () => {
      const withPort = { allowOrigins: ['http://*.app.localhost:3000'] };
      expect(await acao(withPort, 'http://web.app.localhost:3000')).toBe(
        'http://web.app.localhost:3000',
      );
      expect(await acao(withPort, 'http://web.app.localhost')).toBeUndefined();
    });
  });

  describe("with Origin 'null'", () => {
    it("allows it only when 'null' is listed", async () => {
      expect(await acao({ allowOrigins: ['null'] }, 'null')).toBe('null');
      expect(await acao({ allowOrigins: [O] }, 'null')).toBeUndefined();
    });

    it('is never allowed by a regex, even .*', async () => {
      expect(await acao({ allowOriginRegex: '.*' }, 'null')).toBeUndefined();
    });

    it('is never passed to an allowOrigin predicate', async () => {
      const seen: string[] = [];
      expect(await acao({ allowOrigin: (o) => (seen.push(o), true) }, 'null')).toBeUndefined();
      expect(seen).toEqual([]);
    });

    it("is answered '*' under allowOrigins ['*'] (the answer names no origin)", async () => {
      expect(await acao({ allowOrigins: ['*'] }, 'null')).toBe('*');
    });
  });

  describe('with an allowOrigin predicate (Beyond Starlette)', () => {
    it('reflects an origin a sync predicate allows, and gets the request', async () => {
      const calls: [string, string | undefined][] = [];
      const allowOrigin = (origin: string, req: { url?: string }) => {
        calls.push([origin, req.url]);
        return origin === 'https://tenant.example';
      };
      expect(await acao({ allowOrigin }, 'https://tenant.example')).toBe('https://tenant.example');
      expect(await acao({ allowOrigin }, 'https://other.example')).toBeUndefined();
      expect(calls).toEqual([
        ['https://tenant.example', '/'],
        ['https://other.example', '/'],
      ]);
    });

    it('reflects an origin an async predicate resolves true for, on a preflight too', async () => {
      const allowOrigin = async (origin: string) => {
        await new Promise((r) => setTimeout(r, 5));
        return origin.endsWith('.tenant.example');
      };
      expect(await acao({ allowOrigin }, 'https://a.tenant.example')).toBe(
        'https://a.tenant.example',
      );
      const res = await request(serve({ allowOrigin, allowCredentials: true }))
        .options('/')
        .set('Origin', 'https://b.tenant.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://b.tenant.example');
      const refused = await request(serve({ allowOrigin }))
        .options('/')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(refused.status).toBe(400);
      expect(refused.text).toBe('Disallowed CORS origin');
    });

    it.each([
      ['a truthy non-boolean', () => 'yes' as unknown as boolean],
      ['a promise of 1', () => Promise.resolve(1 as unknown as boolean)],
    ])('refuses %s (only true allows)', async (_name, allowOrigin) => {
      expect(await acao({ allowOrigin }, 'https://a.example')).toBeUndefined();
    });

    it('is not called when allowOrigins already allows the origin', async () => {
      let called = 0;
      expect(await acao({ allowOrigins: [O], allowOrigin: () => (called++, false) }, O)).toBe(O);
      expect(called).toBe(0);
    });

    it('is not called for a malformed Origin', async () => {
      let called = 0;
      expect(await acao({ allowOrigin: () => (called++, true) }, 'not an origin')).toBeUndefined();
      expect(called).toBe(0);
    });

    it.each([
      [
        'throws',
        () => {
          throw new Error('db down');
        },
      ],
      ['rejects', () => Promise.reject(new Error('db down'))],
    ])(
      'passes the error to next(err) when it %s: the app does not run, no CORS header is sent, Vary: Origin is',
      async (_n, allowOrigin) => {
        let ran = false;
        const app = serve({ allowOrigin }, (_req, res) => {
          ran = true;
          res.end();
        });
        for (const preflight of [false, true]) {
          const req = preflight
            ? request(app).options('/').set('Access-Control-Request-Method', 'GET')
            : request(app).get('/');
          const res = await req.set('Origin', 'https://a.example');
          expect(res.status).toBe(500);
          expect(res.text).toBe('error: db down');
          expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual(
            [],
          );
          expect(res.headers.vary).toBe('Origin');
        }
        expect(ran).toBe(false);
      },
    );
  });
});
