/**
 * Starlette's tests/middleware/test_https_redirect.py (REFERENCE.md section 3.5) and the
 * checked cases of section 2.5, with the TestClient's conventions: `http://testserver` sends
 * `Host: testserver`, `http://testserver:80` too (httpx drops the default port), `:443` and
 * `:123` send the port.
 */
import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import { rawRequest, selfSignedCertificate, serve, serveTls } from '../../../test-support/http';

describe('httpsRedirect(options)', () => {
  it('HR-1a: lets https://testserver/ through with 200', async () => {
    const server = serveTls(httpsRedirect(), selfSignedCertificate());
    const res = await request(server).get('/').set('Host', 'testserver').disableTLSCerts();
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
  });

  it.each<[string, string, string]>([
    ['HR-1b: http://testserver', 'testserver', 'https://testserver/'],
    ['HR-1c: http://testserver:80', 'testserver', 'https://testserver/'],
    ['HR-1d: http://testserver:443', 'testserver:443', 'https://testserver/'],
    ['HR-1e: http://testserver:123', 'testserver:123', 'https://testserver:123/'],
  ])('%s (Host %j) is answered 307 to %j', async (_name, host, location) => {
    const res = await request(serve(httpsRedirect())).get('/').set('Host', host).redirects(0);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(location);
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['content-type']).toBeUndefined();
  });

  describe('the checked cases of REFERENCE.md section 2.5', () => {
    it.each<[string, string, string, string]>([
      ['H06: TestServer:80 is lower-cased', 'TestServer:80', '/', 'https://testserver/'],
      [
        'H07: TestServer is lower-cased too (Beyond: N keeps the case)',
        'TestServer',
        '/',
        'https://testserver/',
      ],
      [
        'H08: [::1]:80 stays bracketed (Beyond: Starlette writes https://::1/)',
        '[::1]:80',
        '/',
        'https://[::1]/',
      ],
      ['[::1]:443 stays bracketed', '[::1]:443', '/', 'https://[::1]/'],
      ['[::1]:8080 keeps its port', '[::1]:8080', '/', 'https://[::1]:8080/'],
      ['[::1] stays as it is', '[::1]', '/', 'https://[::1]/'],
      [
        'H10: the path and query are kept, quoted',
        'testserver',
        '/a%20b/%C3%BC?q=%20x&y=1',
        'https://testserver/a%20b/%C3%BC?q=%20x&y=1',
      ],
    ])('%s', async (_name, host, path, location) => {
      const res = await request(serve(httpsRedirect())).get(path).set('Host', host).redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(location);
    });

    it.each(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
      'H14: %s is redirected with 307 too',
      async (method) => {
        const res = await rawRequest(serve(httpsRedirect()), [
          `${method} /x HTTP/1.1`,
          'Host: testserver',
        ]);
        expect(res.status).toBe(307);
        expect(res.header('location')).toBe('https://testserver/x');
      },
    );

    it.each<[string, string[]]>([
      ['H12: no Host and no usable server address', ['GET / HTTP/1.0']],
      [
        'H13: a Host with a path (evil.com/x), where U and E redirected to evil.com',
        ['GET / HTTP/1.1', 'Host: evil.com/x'],
      ],
      ['HE1: testserver:abc (a 500 on U and E)', ['GET / HTTP/1.1', 'Host: testserver:abc']],
      ['HE2: testserver:99999 (a 500 on D, U and H)', ['GET / HTTP/1.1', 'Host: testserver:99999']],
    ])('%s is answered 400 Invalid host header, without a Location', async (_name, head) => {
      const res = await rawRequest(serve(httpsRedirect()), head);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Invalid host header');
      expect(res.header('location')).toBeUndefined();
    });
  });
});
