/**
 * Every package, and the full stack(), under Fastify 5 (@fastify/middie), Koa 3 (koa-connect)
 * and NestJS 12 on its Express and Fastify adapters, with routes answering the framework's own
 * way: Fastify writes the head and body itself (`writeHead` + `end`, or a piped stream), Koa sets
 * the body after the middleware chain returns, Nest returns values and `StreamableFile`s. Real
 * sockets, HTTP and TLS (a self-signed certificate), bodies compared byte for byte.
 */
import zlib from 'node:zlib';
import { selfSignedCertificate } from '../../test-support/http';
import { DOCUMENT, HOST, ORIGIN, STREAM_CHUNKS, fetchRaw, nativeFrameworks } from './native/apps';
import type { Urls } from './native/apps';

const cert = selfSignedCertificate();
const STREAMED = Buffer.from(STREAM_CHUNKS.join(''));
const preflight = {
  Host: HOST,
  Origin: ORIGIN,
  'Access-Control-Request-Method': 'PUT',
  'Access-Control-Request-Headers': 'x-custom',
};

function cookieOf(res: { headers: { 'set-cookie'?: string[] } }): string {
  const setCookie = res.headers['set-cookie'] ?? [];
  expect(setCookie).toHaveLength(1);
  return (setCookie[0] ?? '').split(';', 1)[0] ?? '';
}

describe.each(nativeFrameworks)('$name, routes answering its own way', (fw) => {
  let urls: Urls;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ urls, close } = await fw.start(cert));
  }, 30_000);
  afterAll(() => close?.());

  describe('cors(options)', () => {
    it('answers a preflight itself with 200 OK and the allowed methods and headers', async () => {
      const res = await fetchRaw(`${urls.cors.http}/json`, preflight, 'OPTIONS');
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('OK');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-allow-methods']).toBe('GET, PUT');
      expect(res.headers['access-control-allow-headers']).toMatch(/\bX-Custom\b/i);
      expect(res.headers.vary).toMatch(/\bAccess-Control-Request-Method\b/);
    });

    it('adds the simple headers to the framework-sent answer of an allowed origin', async () => {
      const res = await fetchRaw(`${urls.cors.http}/json`, { Origin: ORIGIN });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(JSON.parse(res.body.toString())).toEqual(DOCUMENT);
    });

    it('sends Vary: Origin but no Access-Control-Allow-Origin to a refused origin', async () => {
      const res = await fetchRaw(`${urls.cors.http}/`, { Origin: 'https://evil.example' });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
    });
  });

  describe.each([
    ['a single-shot JSON body', '/json', Buffer.from(JSON.stringify(DOCUMENT)), false],
    ['a streamed body', '/stream', STREAMED, true],
  ])('gzip(options) with %s', (_name, route, expected, streamed) => {
    it('compresses it, and it decodes to exactly the bytes sent uncompressed', async () => {
      const identity = await fetchRaw(`${urls.gzip.http}${route}`);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body).toEqual(expected);
      expect(identity.headers.vary).toMatch(/\bAccept-Encoding\b/);

      const res = await fetchRaw(`${urls.gzip.http}${route}`, { 'Accept-Encoding': 'gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toMatch(/\bAccept-Encoding\b/);
      expect(res.body.length).toBeLessThan(expected.length);
      if (streamed) expect(res.headers['transfer-encoding']).toBe('chunked');
      if (res.headers['content-length'] !== undefined) {
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
      }
      expect(zlib.gunzipSync(res.body)).toEqual(expected);
    });
  });

  describe('session(options)', () => {
    it('reads, modifies and writes the session across requests through its cookie', async () => {
      const first = await fetchRaw(`${urls.session.http}/counter`);
      expect(JSON.parse(first.body.toString())).toEqual({ count: 1 });
      expect(first.headers.vary).toMatch(/\bCookie\b/);
      const second = await fetchRaw(`${urls.session.http}/counter`, { Cookie: cookieOf(first) });
      expect(JSON.parse(second.body.toString())).toEqual({ count: 2 });
      const third = await fetchRaw(`${urls.session.http}/counter`, { Cookie: cookieOf(second) });
      expect(JSON.parse(third.body.toString())).toEqual({ count: 3 });
    });
  });

  if (fw.name.startsWith('NestJS')) {
    const onExpress = fw.name.includes('Express');
    it(`gives @mw's session to Nest's @Session() ${onExpress ? 'on Express' : 'only through req.raw on Fastify'}`, async () => {
      const res = await fetchRaw(`${urls.session.http}/decorated`);
      expect(JSON.parse(res.body.toString())).toEqual({ atSessionIsMwSession: onExpress });
    });
  }

  describe('trustedHost(options)', () => {
    it.each([
      ['an allowed Host', HOST, 200, 'hello'],
      ['a Host it does not serve', 'evil.example.com', 400, 'Invalid host header'],
    ])('answers %s with its status', async (_name, host, status, body) => {
      const res = await fetchRaw(`${urls['trusted-host'].http}/`, { Host: host });
      expect(res.status).toBe(status);
      expect(res.body.toString()).toBe(body);
    });
  });

  describe('httpsRedirect(options)', () => {
    it('redirects a plain-http request to https, path and query kept', async () => {
      const res = await fetchRaw(`${urls['https-redirect'].http}/json?q=1`, { Host: HOST });
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(`https://${HOST}/json?q=1`);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it(`${fw.readsTrustProxySetting ? 'believes' : 'ignores'} X-Forwarded-Proto from a proxy the framework's own setting trusts`, async () => {
      const res = await fetchRaw(`${urls['https-redirect'].http}/`, {
        Host: HOST,
        'X-Forwarded-Proto': 'https',
      });
      expect(res.status).toBe(fw.readsTrustProxySetting ? 200 : 307);
    });

    it('passes a TLS request to the app, with HSTS', async () => {
      const res = await fetchRaw(`${urls['https-redirect'].https}/`, { Host: HOST });
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('hello');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=600\b/);
    });
  });

  describe('the full stack()', () => {
    it('answers a CORS preflight over TLS itself, with HSTS', async () => {
      const res = await fetchRaw(`${urls.stack.https}/json`, preflight, 'OPTIONS');
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('OK');
      expect(res.headers['access-control-allow-methods']).toBe('GET, PUT');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=600\b/);
    });

    it.each([
      ['/json', Buffer.from(JSON.stringify(DOCUMENT))],
      ['/stream', STREAMED],
    ])('serves %s cross-origin, gzipped, decoding byte-identical', async (route, expected) => {
      const res = await fetchRaw(`${urls.stack.https}${route}`, {
        Host: HOST,
        Origin: ORIGIN,
        'Accept-Encoding': 'gzip',
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=600\b/);
      expect(zlib.gunzipSync(res.body)).toEqual(expected);
    });

    it('keeps a session across requests over TLS', async () => {
      const headers = { Host: HOST };
      const first = await fetchRaw(`${urls.stack.https}/counter`, headers);
      expect(JSON.parse(first.body.toString())).toEqual({ count: 1 });
      const second = await fetchRaw(`${urls.stack.https}/counter`, {
        ...headers,
        Cookie: cookieOf(first),
      });
      expect(JSON.parse(second.body.toString())).toEqual({ count: 2 });
    });

    it('merges the Vary the framework sets with its own', async () => {
      const res = await fetchRaw(`${urls.stack.https}/vary`, { Host: HOST, Origin: ORIGIN });
      expect(res.status).toBe(200);
      expect(res.headers.vary).toMatch(/\bAccept-Language\b/);
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    });

    it("keeps every package's headers on the framework's own error answer", async () => {
      const res = await fetchRaw(`${urls.stack.https}/forbidden`, { Host: HOST, Origin: ORIGIN });
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers.vary).toMatch(/\bOrigin\b/);
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=600\b/);
    });

    it('redirects plain http to https', async () => {
      const res = await fetchRaw(`${urls.stack.http}/some/path?q=1`, { Host: HOST });
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(`https://${HOST}/some/path?q=1`);
    });

    it.each(['http', 'https'] as const)('refuses a bad Host with 400 over %s', async (scheme) => {
      const res = await fetchRaw(`${urls.stack[scheme]}/`, { Host: 'evil.example.com' });
      expect(res.status).toBe(400);
      expect(res.body.toString()).toBe('Invalid host header');
      expect(res.headers.location).toBeUndefined();
    });
  });
});
