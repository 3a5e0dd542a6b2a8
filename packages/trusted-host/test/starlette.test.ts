/**
 * Starlette's tests/middleware/test_trusted_host.py (REFERENCE.md section 3.4) and the checked
 * cases of section 2.4, with the TestClient's conventions: base URL `http://testserver`, so
 * `Host: testserver` unless a test sets another base URL.
 */
import request from 'supertest';
import { trustedHost } from '@mw/trusted-host';
import { selfSignedCertificate, serve, serveTls } from '../../../test-support/http';
import type { Certificate } from '../../../test-support/http';

let certificate: Certificate;
beforeAll(() => {
  certificate = selfSignedCertificate();
});

describe('trustedHost(options)', () => {
  describe('TH-1: test_trusted_host_middleware', () => {
    const server = () => serve(trustedHost({ allowedHosts: ['testserver', '*.testserver'] }));

    it('TH-1: answers 200 for http://testserver/', async () => {
      const res = await request(server()).get('/').set('Host', 'testserver');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
    });

    it('TH-1: answers 200 for http://subdomain.testserver/', async () => {
      const res = await request(server()).get('/').set('Host', 'subdomain.testserver');
      expect(res.status).toBe(200);
    });

    it('TH-1: answers 400 Invalid host header for http://invalidhost/', async () => {
      const res = await request(server()).get('/').set('Host', 'invalidhost');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Invalid host header');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-length']).toBe('19');
    });
  });

  describe('TH-2: test_default_allowed_hosts', () => {
    it.each(['testserver', 'anything.example', 'EXAMPLE.org:8080', '[::1]'])(
      'TH-2: with no options allows any well-formed host (%s)',
      async (host) => {
        const res = await request(serve(trustedHost())).get('/').set('Host', host);
        expect(res.status).toBe(200);
      },
    );
  });

  describe('TH-3: test_www_redirect', () => {
    it('TH-3: redirects https://example.com/ with 307 to https://www.example.com/, which is then served', async () => {
      const mw = trustedHost({ allowedHosts: ['www.example.com'] });
      const first = await request(serveTls(mw, certificate))
        .get('/')
        .set('Host', 'example.com')
        .disableTLSCerts()
        .redirects(0);
      expect(first.status).toBe(307);
      expect(first.headers.location).toBe('https://www.example.com/');
      expect(first.headers['content-length']).toBe('0');
      expect(first.headers['content-type']).toBeUndefined();
      // Follow the redirect as the TestClient does: same server, the Location's host.
      const final = await request(serveTls(mw, certificate))
        .get(new URL(first.headers.location as string).pathname)
        .set('Host', new URL(first.headers.location as string).host)
        .disableTLSCerts();
      expect(final.status).toBe(200);
      expect(final.text).toBe('OK');
    });
  });

  describe('the checked cases of REFERENCE.md section 2.4', () => {
    const allowed = ['example.com', '*.example.com', 'www.example.org'];
    it.each<[string, string, number]>([
      ['T05: evilexample.com does not match *.example.com', 'evilexample.com', 400],
      ['T18: the apex does not match *.example.com alone', 'example.net', 400],
      ['T08: EXAMPLE.COM is allowed (Beyond Starlette: case-insensitive)', 'EXAMPLE.COM', 200],
      ['T09: a trailing dot is ignored (Beyond Starlette)', 'example.com.', 200],
      ['T24: example.com:abc is malformed, 400 as on N', 'example.com:abc', 400],
      [
        'T25: example.org:99999 is a 400, not a redirect to www.testserver',
        'example.org:99999',
        400,
      ],
    ])('%s', async (_name, host, status) => {
      const res = await request(serve(trustedHost({ allowedHosts: allowed })))
        .get('/')
        .set('Host', host)
        .redirects(0);
      expect(res.status).toBe(status);
      expect(res.headers.location).toBeUndefined();
    });

    it('T18: the apex example.com is not allowed by *.example.com', async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['*.example.com'] })))
        .get('/')
        .set('Host', 'example.com');
      expect(res.status).toBe(400);
    });

    it('T10: [::1]:8000 is allowed by the bracketed pattern [::1] (as N)', async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['[::1]'] })))
        .get('/')
        .set('Host', '[::1]:8000');
      expect(res.status).toBe(200);
    });

    it('T11: an unbracketed IPv6 pattern is a construction error (N silently never matches)', () => {
      expect(() => trustedHost({ allowedHosts: ['::1'] })).toThrow(/must be bracketed/);
    });

    it('T12: the www-redirect keeps the path and query, quoted', async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['www.example.com'] })))
        .get('/a%20b?x=1&y=%20')
        .set('Host', 'example.com')
        .redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe('http://www.example.com/a%20b?x=1&y=%20');
    });

    it('T13: the www-redirect keeps the port', async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['www.example.com'] })))
        .get('/p')
        .set('Host', 'example.com:8080')
        .redirects(0);
      expect(res.headers.location).toBe('http://www.example.com:8080/p');
    });

    it('T22: a POST gets the 307 too', async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['www.example.com'] })))
        .post('/')
        .set('Host', 'example.com')
        .send('x')
        .redirects(0);
      expect(res.status).toBe(307);
    });

    it.each(['example.*', '*example.com', '*.*.example.com', 'ex*ample.com'])(
      'T16/T17: %s throws "Domain wildcard patterns must be like \'*.example.com\'."',
      (pattern) => {
        expect(() => trustedHost({ allowedHosts: [pattern] })).toThrow(
          "Domain wildcard patterns must be like '*.example.com'.",
        );
      },
    );

    it("T23: '*' anywhere in the list allows every well-formed host", async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['example.com', '*'] })))
        .get('/')
        .set('Host', 'other.test');
      expect(res.status).toBe(200);
    });

    it("T23: '*' still rejects a malformed Host (Beyond Starlette: '*' skipped every check)", async () => {
      const res = await request(serve(trustedHost({ allowedHosts: ['*'] })))
        .get('/')
        .set('Host', 'evil.com/x');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Invalid host header');
    });
  });
});
