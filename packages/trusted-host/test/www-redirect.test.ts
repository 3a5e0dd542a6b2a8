import request from 'supertest';
import { trustedHost } from '@mw/trusted-host';
import { rawRequest, selfSignedCertificate, serve, serveTls } from '../../../test-support/http';

describe('trustedHost({ wwwRedirect })', () => {
  describe('when the bare host is not allowed but its www. form is', () => {
    it.each<[string, string, string[], string]>([
      [
        'keeps the path and query',
        'example.com',
        ['www.example.com'],
        'http://www.example.com/p?q=1',
      ],
      [
        'keeps the port',
        'example.com:8080',
        ['www.example.com'],
        'http://www.example.com:8080/p?q=1',
      ],
      ['lower-cases the host', 'EXAMPLE.com', ['www.example.com'], 'http://www.example.com/p?q=1'],
      [
        'drops the trailing dot',
        'example.com.',
        ['www.example.com'],
        'http://www.example.com/p?q=1',
      ],
      [
        'follows a pinned port',
        'example.com:8443',
        ['www.example.com:8443'],
        'http://www.example.com:8443/p?q=1',
      ],
    ])('%s (Host %j)', async (_name, host, allowedHosts, location) => {
      const res = await request(serve(trustedHost({ allowedHosts })))
        .get('/p?q=1')
        .set('Host', host)
        .redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(location);
      expect(res.text).toBe('');
    });

    it('keeps the https scheme on a TLS connection', async () => {
      const server = serveTls(
        trustedHost({ allowedHosts: ['www.example.com'] }),
        selfSignedCertificate(),
      );
      const res = await request(server)
        .get('/x')
        .set('Host', 'example.com')
        .disableTLSCerts()
        .redirects(0);
      expect(res.headers.location).toBe('https://www.example.com/x');
    });

    it.each<[string, string]>([
      // H10 as httpx sends it: the space and ü already escaped; kept as they are. Node refuses
      // raw bytes >= 0x80 and spaces in the target (HPE_INVALID_URL) before any middleware runs.
      ['/a%20b/%C3%BC?q=%20x&y=1', '/a%20b/%C3%BC?q=%20x&y=1'],
      // Starlette decodes the path before re-quoting, so %2F became /; @mw keeps the bytes.
      ['/a%2Fb?x=%2F', '/a%2Fb?x=%2F'],
      // What Node lets through but is not URL-safe is escaped as Python's quote() would.
      ['/q"<>{}|\\^`~', '/q%22%3C%3E%7B%7D%7C%5C%5E%60~'],
      ["/keep:@!$&'()*+,;=[]", "/keep:@!$&'()*+,;=[]"],
    ])('quotes the target %j as Starlette does, to %j', async (target, quoted) => {
      const res = await rawRequest(serve(trustedHost({ allowedHosts: ['www.example.com'] })), [
        `GET ${target} HTTP/1.1`,
        'Host: example.com',
      ]);
      expect(res.status).toBe(307);
      expect(res.header('location')).toBe(`http://www.example.com${quoted}`);
    });

    it('writes Content-Length: 0 then Location and no Content-Type, as RedirectResponse', async () => {
      const res = await rawRequest(serve(trustedHost({ allowedHosts: ['www.example.com'] })), [
        'GET / HTTP/1.1',
        'Host: example.com',
      ]);
      const names = res.headers.map((h) => h.slice(0, h.indexOf(':')).toLowerCase());
      expect(names.indexOf('content-length')).toBeLessThan(names.indexOf('location'));
      expect(names).not.toContain('content-type');
    });

    it.each<[string, string, string]>([
      [
        'an absolute-form target keeps only its path and query',
        'http://example.com/p?q=1',
        '/p?q=1',
      ],
      ['an absolute-form target without a path gets /', 'http://example.com?q=1', '/?q=1'],
      ['an asterisk-form target becomes /', '*', '/'],
    ])('%s (never the host in the target)', async (_name, target, path) => {
      const res = await rawRequest(serve(trustedHost({ allowedHosts: ['www.example.com'] })), [
        `OPTIONS ${target} HTTP/1.1`,
        'Host: example.com',
      ]);
      expect(res.status).toBe(307);
      expect(res.header('location')).toBe(`http://www.example.com${path}`);
    });
  });

  describe('when the redirect does not apply', () => {
    it.each<[string, string, string[]]>([
      ['wwwRedirect is false', 'example.com', ['www.example.com']],
      ['only a wildcard covers www.', 'example.com', ['*.example.com']],
      ['the www. form is pinned to another port', 'example.com:8080', ['www.example.com:8443']],
      ['the host is an IPv6 literal', '[::1]', ['www.example.com']],
    ])('answers 400 when %s', async (name, host, allowedHosts) => {
      const wwwRedirect = name !== 'wwwRedirect is false';
      const res = await request(serve(trustedHost({ allowedHosts, wwwRedirect })))
        .get('/')
        .set('Host', host)
        .redirects(0);
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
    });
  });
});
