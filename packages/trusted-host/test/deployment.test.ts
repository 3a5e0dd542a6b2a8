import { trustedHost } from '@mw/trusted-host';
import { rawRequest, serve } from '../../../test-support/http';

const allowed = ['good.example', 'www.shop.example', 'pinned.example:8443'];
const send = (options: Parameters<typeof trustedHost>[0], head: string[]) =>
  rawRequest(serve(trustedHost(options)), head);

describe('trustedHost(options) where apps are deployed', () => {
  describe('with an absolute-form request target (RFC 9112 section 3.2.2)', () => {
    it('refuses a target whose authority is not the Host', async () => {
      const res = await send({ allowedHosts: allowed }, [
        'GET http://evil.example/reset HTTP/1.1',
        'Host: good.example',
      ]);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Invalid host header');
    });

    it('refuses it even when every host is allowed', async () => {
      const res = await send({}, ['GET http://evil.example/reset HTTP/1.1', 'Host: good.example']);
      expect(res.status).toBe(400);
    });

    it('lets a target through whose authority is the Host', async () => {
      const res = await send({ allowedHosts: allowed }, [
        'GET http://GOOD.example:80/reset HTTP/1.1',
        'Host: good.example',
      ]);
      expect(res.status).toBe(200);
    });
  });

  describe('behind a trusted proxy (trustProxy)', () => {
    const proxied = (forwardedHost: string, proto = 'https') => [
      'GET /p?token=1 HTTP/1.1',
      'Host: good.example',
      `X-Forwarded-Host: ${forwardedHost}`,
      `X-Forwarded-Proto: ${proto}`,
    ];

    it('refuses a forwarded host that is not allowed', async () => {
      const res = await send(
        { allowedHosts: allowed, trustProxy: 'loopback' },
        proxied('evil.example'),
      );
      expect(res.status).toBe(400);
    });

    it('refuses when any forwarded value is not allowed', async () => {
      const res = await send(
        { allowedHosts: allowed, trustProxy: true },
        proxied('good.example, evil.example'),
      );
      expect(res.status).toBe(400);
    });

    it('allows a forwarded host that is allowed', async () => {
      const res = await send(
        { allowedHosts: allowed, trustProxy: 'loopback' },
        proxied('good.example'),
      );
      expect(res.status).toBe(200);
    });

    it('ignores X-Forwarded-Host from an untrusted peer', async () => {
      const res = await send({ allowedHosts: allowed }, proxied('evil.example'));
      expect(res.status).toBe(200);
    });

    it('keeps https in the www redirect when the client used https', async () => {
      const res = await send(
        { allowedHosts: ['www.shop.example', 'backend'], trustProxy: 'loopback' },
        [
          'GET /p?token=1 HTTP/1.1',
          'Host: backend',
          'X-Forwarded-Host: shop.example',
          'X-Forwarded-Proto: https',
        ],
      );
      expect(res.status).toBe(307);
      expect(res.header('location')).toBe('https://www.shop.example/p?token=1');
    });

    it('compares a pinned port with the port the client used', async () => {
      const options = { allowedHosts: ['good.example', 'pinned.example:443'], trustProxy: true };
      expect((await send(options, proxied('pinned.example'))).status).toBe(200);
      expect((await send(options, proxied('pinned.example', 'http'))).status).toBe(400);
      expect((await send(options, proxied('pinned.example:443', 'http'))).status).toBe(200);
    });
  });
});
