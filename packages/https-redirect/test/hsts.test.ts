import https from 'node:https';
import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import type { HstsOptions } from '@mw/https-redirect';
import { selfSignedCertificate, serve, serveTls } from '../../../test-support/http';
import type { Certificate } from '../../../test-support/http';

let certificate: Certificate;
beforeAll(() => {
  certificate = selfSignedCertificate();
});

const overTls = (hsts: false | HstsOptions | undefined) =>
  request(serveTls(httpsRedirect({ hsts }), certificate))
    .get('/')
    .set('Host', 'example.com')
    .disableTLSCerts();

describe('httpsRedirect({ hsts })', () => {
  describe('when the request arrived over TLS', () => {
    it.each<[string, false | HstsOptions | undefined, string | undefined]>([
      ['none by default', undefined, undefined],
      ['none with false', false, undefined],
      ["helmet's defaults with {}", {}, 'max-age=31536000; includeSubDomains'],
      ['the given maxAge', { maxAge: 63072000 }, 'max-age=63072000; includeSubDomains'],
      [
        'maxAge 0, which tells the browser to forget the policy',
        { maxAge: 0 },
        'max-age=0; includeSubDomains',
      ],
      ['no includeSubDomains when turned off', { includeSubDomains: false }, 'max-age=31536000'],
      ['preload when asked', { preload: true }, 'max-age=31536000; includeSubDomains; preload'],
      [
        'every directive when all are given',
        { maxAge: 86400, includeSubDomains: false, preload: true },
        'max-age=86400; preload',
      ],
    ])('sends %s', async (_name, hsts, header) => {
      const res = await overTls(hsts);
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe(header);
    });
  });

  describe('when the app changes the headers before answering', () => {
    const answeredBy = (app: (res: ServerResponse) => void) =>
      request(
        https.createServer(certificate, (req, res) =>
          httpsRedirect({ hsts: { maxAge: 600 } })(req, res, () => {
            app(res);
            res.end('OK');
          }),
        ),
      )
        .get('/')
        .set('Host', 'example.com')
        .disableTLSCerts();

    it("sends it even when every header was removed first (Koa's error handler does)", async () => {
      const res = await answeredBy((r) => {
        for (const name of r.getHeaderNames()) r.removeHeader(name);
        r.statusCode = 404;
      });
      expect(res.status).toBe(404);
      expect(res.headers['strict-transport-security']).toBe('max-age=600; includeSubDomains');
    });

    it("keeps the app's own value", async () => {
      const res = await answeredBy((r) => r.setHeader('Strict-Transport-Security', 'max-age=1'));
      expect(res.headers['strict-transport-security']).toBe('max-age=1');
    });
  });

  describe('when the request arrived over plain HTTP (RFC 6797 section 7.2)', () => {
    it('sends no Strict-Transport-Security on the redirect (helmet sends it over HTTP too)', async () => {
      const res = await request(serve(httpsRedirect({ hsts: {} })))
        .get('/')
        .set('Host', 'example.com')
        .redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends none when a forged X-Forwarded-Proto claims https and no proxy is trusted', async () => {
      const res = await request(serve(httpsRedirect({ hsts: {} })))
        .get('/')
        .set('Host', 'example.com')
        .set('X-Forwarded-Proto', 'https')
        .redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends it when a trusted TLS-terminating proxy reports https', async () => {
      const res = await request(serve(httpsRedirect({ hsts: {}, trustProxy: 1 })))
        .get('/')
        .set('Host', 'example.com')
        .set('X-Forwarded-Proto', 'https');
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    });
  });
});
