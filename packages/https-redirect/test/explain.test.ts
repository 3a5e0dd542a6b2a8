import https from 'node:https';
import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import { decisions } from '../../../test-support/decisions';
import { selfSignedCertificate, serve, serveTls } from '../../../test-support/http';

describe('httpsRedirect(options) on the mw:https-redirect diagnostics channel', () => {
  it('publishes redirected, where to (without the query) and why no HSTS', async () => {
    const seen = await decisions('https-redirect', () =>
      request(serve(httpsRedirect({ hsts: {} })))
        .get('/a?token=secret')
        .set('Host', 'example.com'),
    );
    expect(seen).toEqual([
      {
        package: 'https-redirect',
        event: 'redirected',
        reason:
          'redirected plain HTTP to https://example.com/a?… (307); no HSTS on plain HTTP (RFC 6797 section 7.2)',
        method: 'GET',
        path: '/a',
        location: 'https://example.com/a?…',
        status: 307,
      },
    ]);
  });

  it('publishes host-refused for a malformed Host', async () => {
    const seen = await decisions('https-redirect', () =>
      request(serve(httpsRedirect())).get('/').set('Host', 'evil.com/x'),
    );
    expect(seen).toEqual([
      expect.objectContaining({
        event: 'host-refused',
        reason: 'refused to redirect: Host evil.com/x is malformed',
      }),
    ]);
  });

  describe('on a secure request', () => {
    const cert = selfSignedCertificate();
    const agent = new https.Agent({ rejectUnauthorized: false });
    it.each<[string, Parameters<typeof httpsRedirect>[0], string, string]>([
      [
        'hsts-added with the header',
        { hsts: { maxAge: 60 } },
        'hsts-added',
        'no redirect (secure request); HSTS added: max-age=60; includeSubDomains',
      ],
      [
        'hsts-not-added when the option is off',
        {},
        'hsts-not-added',
        'no redirect (secure request); HSTS not added: the hsts option is off',
      ],
    ])('publishes %s', async (_name, options, event, reason) => {
      const seen = await decisions('https-redirect', () =>
        request(serveTls(httpsRedirect(options), cert))
          .get('/')
          .agent(agent),
      );
      expect(seen).toEqual([expect.objectContaining({ event, reason })]);
    });
  });
});
