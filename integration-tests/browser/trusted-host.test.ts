/**
 * Trusted hosts as a browser meets them. Chromium maps every `*.test` name to 127.0.0.1
 * (`--host-resolver-rules`), so `evil.test` plays a DNS-rebinding attacker's domain that
 * resolves to our server.
 */
import type { Browser, Page } from 'playwright-core';
import { trustedHost } from '@mw/trusted-host';
import { launchChromium, serveHttp } from './helpers';
import type { Served } from './helpers';

let browser: Browser;
let server: Served;
let page: Page;

beforeAll(async () => {
  const middleware = trustedHost({ allowedHosts: ['good.test', 'www.shop.test'] });
  [browser, server] = await Promise.all([
    launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']),
    serveHttp((req, res) =>
      middleware(req, res, () => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<!doctype html><title>ok</title><p id="host">${req.headers.host}</p>`);
      }),
    ),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});

beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page?.close();
});

describe('trustedHost(options) in Chromium', () => {
  it('serves a page loaded through an allowed host name', async () => {
    const response = await page.goto(`http://good.test:${server.port}/`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('#host')).toBe(`good.test:${server.port}`);
  });

  it.each(['evil.test', '127.0.0.1'])(
    'answers 400 Invalid host header to a page loaded through %s',
    async (host) => {
      const response = await page.goto(`http://${host}:${server.port}/`);
      expect(response?.status()).toBe(400);
      expect(response?.headers()['content-type']).toBe('text/plain; charset=utf-8');
      expect(await page.textContent('body')).toBe('Invalid host header');
    },
  );

  it('refuses a same-origin fetch from a rebound host name', async () => {
    await page.goto(`http://evil.test:${server.port}/`);
    const status = await page.evaluate(async () => (await fetch('/secret')).status);
    expect(status).toBe(400);
  });

  it('redirects the bare name to its allowed www. form, path and query kept', async () => {
    const response = await page.goto(`http://shop.test:${server.port}/cart?item=1`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`http://www.shop.test:${server.port}/cart?item=1`);
    expect((await response?.request().redirectedFrom()?.response())?.status()).toBe(307);
  });
});
