/**
 * Chromium over HTTP/2 (ALPN h2 on `http2.createSecureServer`, with and without `allowHTTP1`)
 * against the full stack() behind a Connect app: the page's own navigation entry says `h2`,
 * the session cookie (Secure via `secure: 'auto'`) comes back, gzip is decoded, HSTS is sent,
 * cross-origin fetches get CORS headers, and a bare host is sent to www over https. `*.test`
 * names resolve to 127.0.0.1; the self-signed certificate is accepted with ignoreHTTPSErrors.
 */
import http2 from 'node:http2';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { frameworks } from '../support/frameworks';
import { launchChromium, selfSignedCertificate } from './helpers';

const connect = frameworks.find((f) => f.name === 'Connect 3')!;
const PAD = 'h2 all the way down. '.repeat(100);

function app(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/login') req.session.user = 'alice';
  if (req.url === '/api') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ user: req.session.user ?? null, pad: PAD }));
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><title>h2</title><p id="user">${String(req.session.user)}</p>${PAD}`);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
});

describe.each([false, true])(
  'the full stack() on http2.createSecureServer({ allowHTTP1: %s }) in Chromium',
  (allowHTTP1) => {
    let server: http2.Http2SecureServer;
    let port: number;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      const middleware = stack(
        session({ secretKey: 'chromium-h2', secure: 'auto' }),
        gzip(),
        // Same site as api.shop.test (so the Lax cookie goes along), another origin (so CORS applies).
        cors({ allowOriginRegex: 'https://app\\.shop\\.test:\\d+', allowCredentials: true }),
        httpsRedirect({ hsts: { maxAge: 60 } }),
        trustedHost({ allowedHosts: ['www.shop.test', 'api.shop.test', 'app.shop.test'] }),
      );
      const listener = connect.create([middleware], app) as RequestListener;
      server = http2.createSecureServer(
        { ...selfSignedCertificate(), allowHTTP1 },
        listener as unknown as (r: http2.Http2ServerRequest, s: http2.Http2ServerResponse) => void,
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(async () => {
      context = await browser.newContext({ ignoreHTTPSErrors: true });
      page = await context.newPage();
    });
    afterEach(async () => {
      await context?.close();
    });

    it('serves the page over h2 with HSTS, gzip and a Secure session cookie that comes back', async () => {
      const login = await page.goto(`https://api.shop.test:${port}/login`);
      expect(login?.status()).toBe(200);
      expect(
        // Runs in the page (no DOM types here): the navigation entry's nextHopProtocol.
        await page.evaluate('performance.getEntriesByType("navigation")[0].nextHopProtocol'),
      ).toBe('h2');
      const headers = await login!.allHeaders();
      expect(headers['strict-transport-security']).toBe('max-age=60; includeSubDomains');
      expect(headers['content-encoding']).toBe('gzip');
      expect(headers['set-cookie']).toMatch(/^session=.*; secure$/);
      await page.goto(`https://api.shop.test:${port}/`);
      expect(await page.textContent('#user')).toBe('alice');
    });

    it('answers a credentialed cross-origin fetch with CORS headers over h2', async () => {
      await page.goto(`https://api.shop.test:${port}/login`);
      await page.goto(`https://app.shop.test:${port}/`);
      const result = await page.evaluate(async (url) => {
        const res = await fetch(url, {
          credentials: 'include',
          headers: { 'X-Requested': '1' },
        }).catch((e: Error) => e.message);
        return typeof res === 'string'
          ? res
          : { status: res.status, body: (await res.json()) as { user: string } };
      }, `https://api.shop.test:${port}/api`);
      // X-Requested is not allowed: the preflight is refused, so the browser blocks the fetch.
      expect(result).toBe('Failed to fetch');
      const simple = await page.evaluate(async (url) => {
        const res = await fetch(url, { credentials: 'include' });
        return { status: res.status, user: ((await res.json()) as { user: string | null }).user };
      }, `https://api.shop.test:${port}/api`);
      expect(simple).toEqual({ status: 200, user: 'alice' });
    });

    it('sends a bare host to www over https, path and query kept', async () => {
      const response = await page.goto(`https://shop.test:${port}/reset?token=t`);
      expect(page.url()).toBe(`https://www.shop.test:${port}/reset?token=t`);
      expect(response?.status()).toBe(200);
      const chain = response!.request().redirectedFrom();
      expect((await chain!.response())!.status()).toBe(307);
    });

    it('refuses a host name that is not allowed', async () => {
      const response = await page.goto(`https://evil.test:${port}/`);
      expect(response?.status()).toBe(400);
      expect(await page.textContent('body')).toBe('Invalid host header');
    });
  },
);
