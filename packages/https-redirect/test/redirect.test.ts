import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import type { HttpsRedirectOptions } from '@mw/https-redirect';
import { rawRequest, serve } from '../../../test-support/http';

describe('httpsRedirect(options)', () => {
  describe('when the request is plain HTTP', () => {
    it.each<[string, string]>([
      ['example.com', 'https://example.com/p?q=1'],
      ['example.com:80', 'https://example.com/p?q=1'],
      ['example.com:443', 'https://example.com/p?q=1'],
      ['example.com:8080', 'https://example.com:8080/p?q=1'],
      ['example.com:0080', 'https://example.com/p?q=1'],
      ['Example.COM.', 'https://example.com/p?q=1'],
      ['127.0.0.1:3000', 'https://127.0.0.1:3000/p?q=1'],
      ['[2001:DB8::1]:80', 'https://[2001:db8::1]/p?q=1'],
    ])('redirects Host %j to %j', async (host, location) => {
      const res = await request(serve(httpsRedirect()))
        .get('/p?q=1')
        .set('Host', host)
        .redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(location);
      expect(res.text).toBe('');
    });

    it.each<[string, string]>([
      ['/a%2Fb?x=%2F&y', '/a%2Fb?x=%2F&y'],
      ['//evil.com/x', '//evil.com/x'],
      ['/q"<>{}|\\^`~', '/q%22%3C%3E%7B%7D%7C%5C%5E%60~'],
      ['/%', '/%'],
      ["/keep:@!$&'()*+,;=[]", "/keep:@!$&'()*+,;=[]"],
    ])('keeps the target %j byte for byte as %j', async (target, quoted) => {
      const res = await rawRequest(serve(httpsRedirect()), [
        `GET ${target} HTTP/1.1`,
        'Host: example.com',
      ]);
      expect(res.header('location')).toBe(`https://example.com${quoted}`);
      expect(new URL(res.header('location') ?? '').host).toBe('example.com');
    });

    it.each<[string, string]>([
      ['http://example.com/p?q=1', 'https://example.com/p?q=1'],
      ['HTTP://EXAMPLE.COM.:80/p', 'https://example.com/p'],
      ['*', 'https://example.com/'],
    ])('takes only the path and query from the target %j', async (target, location) => {
      const res = await rawRequest(serve(httpsRedirect()), [
        `OPTIONS ${target} HTTP/1.1`,
        'Host: example.com',
      ]);
      expect(res.header('location')).toBe(location);
    });

    it.each([
      ['another host', 'http://evil.com/p?q=1'],
      ['another port', 'http://example.com:8080/p'],
      ['userinfo', 'http://user@example.com/p'],
      ['no authority', 'http:///p'],
    ])(
      'answers 400 to an absolute-form target naming %s (RFC 9112 section 3.2.2)',
      async (_n, target) => {
        const res = await rawRequest(serve(httpsRedirect()), [
          `GET ${target} HTTP/1.1`,
          'Host: example.com',
        ]);
        expect(res.status).toBe(400);
        expect(res.body).toBe('Invalid host header');
        expect(res.header('location')).toBeUndefined();
      },
    );

    it('writes Content-Length: 0 then Location, and no Content-Type', async () => {
      const res = await rawRequest(serve(httpsRedirect()), ['GET / HTTP/1.1', 'Host: example.com']);
      const names = res.headers.map((h) => h.slice(0, h.indexOf(':')).toLowerCase());
      expect(names.indexOf('content-length')).toBeLessThan(names.indexOf('location'));
      expect(names).not.toContain('content-type');
      expect(names).not.toContain('strict-transport-security');
    });
  });

  describe('with statusCode', () => {
    it.each<NonNullable<HttpsRedirectOptions['statusCode']>>([301, 302, 307, 308])(
      'answers %i',
      async (statusCode) => {
        const res = await request(serve(httpsRedirect({ statusCode })))
          .get('/')
          .set('Host', 'example.com')
          .redirects(0);
        expect(res.status).toBe(statusCode);
        expect(res.headers.location).toBe('https://example.com/');
      },
    );
  });

  describe('when the Host is malformed or missing', () => {
    it.each([
      'evil.com/x',
      'evil.com\\x',
      'example.com@evil.com',
      'user:pass@evil.com',
      'example.com:',
      'example.com:abc',
      'example.com:99999',
      'ex%61mple.com',
      'evil.com?x',
      'evil.com#x',
      '::1',
      '[::1',
      '[fe80::1%25eth0]',
      'example.com, evil.com',
    ])('answers Host %j with 400 Invalid host header and no Location', async (host) => {
      const res = await request(serve(httpsRedirect())).get('/').set('Host', host).redirects(0);
      expect(res.status).toBe(400);
      expect(res.text).toBe('Invalid host header');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers.location).toBeUndefined();
    });

    it.each<[string, string[]]>([
      ['two Host lines', ['GET / HTTP/1.1', 'Host: example.com', 'Host: evil.com']],
      ['an empty Host', ['GET / HTTP/1.1', 'Host: ']],
      ['no Host (HTTP/1.0)', ['GET / HTTP/1.0']],
    ])('answers %s with 400 and no Location', async (_name, head) => {
      const res = await rawRequest(serve(httpsRedirect()), head);
      expect(res.status).toBe(400);
      expect(res.header('location')).toBeUndefined();
    });
  });
});
