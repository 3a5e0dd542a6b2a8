/**
 * Host values supertest cannot send: several Host lines, none at all, an empty one. They go
 * over a raw socket so the bytes on the wire are exactly the test's.
 */
import { trustedHost } from '@mw/trusted-host';
import { rawRequest, serve } from '../../../test-support/http';

describe('trustedHost(options)', () => {
  describe('when the request does not carry exactly one valid Host', () => {
    it.each<[string, string[]]>([
      ['two different Host lines', ['GET / HTTP/1.1', 'Host: example.com', 'Host: evil.com']],
      ['two identical Host lines', ['GET / HTTP/1.1', 'Host: example.com', 'Host: example.com']],
      ['Host lines differing in case', ['GET / HTTP/1.1', 'host: example.com', 'HOST: evil.com']],
      ['an empty Host', ['GET / HTTP/1.1', 'Host: ']],
      ['a Host of spaces', ['GET / HTTP/1.1', 'Host:    ']],
      ['no Host on HTTP/1.0', ['GET / HTTP/1.0']],
    ])('answers %s with 400 Invalid host header, even when "*" is allowed', async (_n, head) => {
      for (const allowedHosts of [['*'], ['example.com']]) {
        const res = await rawRequest(serve(trustedHost({ allowedHosts })), head);
        expect(res.status).toBe(400);
        expect(res.body).toBe('Invalid host header');
        expect(res.header('content-type')).toBe('text/plain; charset=utf-8');
      }
    });

    it('answers no Host on HTTP/1.1 with 400 when Node lets it through (requireHostHeader: false)', async () => {
      const server = serve(trustedHost({ allowedHosts: ['*'] }), { requireHostHeader: false });
      const res = await rawRequest(server, ['GET / HTTP/1.1']);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Invalid host header');
    });
  });

  describe('when the request carries one valid Host', () => {
    it('passes an allowed Host through', async () => {
      const res = await rawRequest(serve(trustedHost({ allowedHosts: ['example.com'] })), [
        'GET / HTTP/1.1',
        'Host: example.com',
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toBe('OK');
    });
  });
});
