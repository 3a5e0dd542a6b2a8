/**
 * Absolute-form request targets (`GET http://other.example/reset HTTP/1.1`) under every
 * framework: Express's `req.originalUrl` and `new URL(req.url, base)` take the target's
 * authority over `Host` (RFC 9112 section 3.2.2), so a target naming another host is a 400 in
 * trusted-host and https-redirect, and one naming the Host itself passes. Needs `npm run build`.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Middleware } from '@mw/core';
import { httpsRedirect } from '@mw/https-redirect';
import { trustedHost } from '@mw/trusted-host';
import { rawRequest } from '../test-support/http';
import { frameworks } from './support/frameworks';

/** What the app would build a reset link from. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  const original = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  res.setHeader('Content-Type', 'text/plain');
  res.end(`link: ${new URL(original, `http://${req.headers.host}`).href}`);
}

const MIDDLEWARE: [string, () => Middleware][] = [
  ['trustedHost()', () => trustedHost({ allowedHosts: ['good.example'] })],
  ["trustedHost(['*'])", () => trustedHost()],
  ['httpsRedirect()', () => httpsRedirect()],
];

// Polka 1 matches middleware by path prefix: a target that does not start with `/` reaches no
// middleware and no route (its onError gets a 404), pinned below.
const POLKA_1 = 'Polka 1.0.0-next.28';

describe.each(frameworks.filter((f) => f.name !== POLKA_1))(
  'absolute-form targets under $name',
  (fw) => {
    const send = (mw: Middleware, line: string, host = 'good.example') =>
      rawRequest(http.createServer(fw.create([mw], handler)), [line, `Host: ${host}`]);

    describe.each(MIDDLEWARE)('%s', (_name, make) => {
      it.each([
        ['another host', 'GET http://evil.example/reset?t=1 HTTP/1.1'],
        ['another port', 'GET http://good.example:8080/reset HTTP/1.1'],
        ['userinfo', 'GET http://good.example@evil.example/reset HTTP/1.1'],
        ['an https target on port 80', 'GET https://good.example:80/reset HTTP/1.1'],
      ])('answers 400 Invalid host header to a target naming %s', async (_case, line) => {
        const res = await send(make(), line);
        expect([res.status, res.body]).toEqual([400, 'Invalid host header']);
        expect(res.header('location')).toBeUndefined();
      });
    });

    it('lets trustedHost() pass a target whose authority is the Host', async () => {
      const res = await send(
        trustedHost({ allowedHosts: ['good.example'] }),
        'GET http://GOOD.example:80/reset?t=1 HTTP/1.1',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^link: http:\/\/good\.example\/reset\?t=1$/i);
    });

    it('redirects a target whose authority is the Host to https with its path and query', async () => {
      const res = await send(httpsRedirect(), 'GET http://good.example/reset?t=1 HTTP/1.1');
      expect([res.status, res.header('location')]).toEqual([307, 'https://good.example/reset?t=1']);
    });
  },
);

describe(`absolute-form targets under ${POLKA_1}`, () => {
  const fw = frameworks.find((f) => f.name === POLKA_1)!;
  it.each(MIDDLEWARE)('never reach %s or the app (they go to onError)', async (_name, make) => {
    let ran = false;
    const mw: Middleware = (req, res, next) => {
      ran = true;
      make()(req, res, next);
    };
    const server = http.createServer(fw.create([mw], handler));
    const res = await rawRequest(server, [
      'GET http://evil.example/reset HTTP/1.1',
      'Host: good.example',
    ]);
    expect(ran).toBe(false);
    expect(res.body).not.toMatch(/link/);
  });
});
