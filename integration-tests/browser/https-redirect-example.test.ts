/**
 * examples/https-redirect: plain HTTP redirected to HTTPS on the same port, HSTS on the HTTPS
 * answer, followed by Chromium (which is told to accept the self-signed certificate), then
 * stopped with SIGINT. Needs the built packages (`npm run build`).
 */
import https from 'node:https';
import type { Browser } from 'playwright-core';
import { freePortPair, launchChromium, startExample } from './helpers';
import type { Example } from './helpers';

let browser: Browser;
let example: Example;
let port: number;

beforeAll(async () => {
  port = await freePortPair();
  example = startExample('https-redirect/server.js', { PORT: String(port) });
  [browser] = await Promise.all([launchChromium(), example.waitFor(/press Ctrl-C/)]);
});

afterAll(async () => {
  await browser?.close();
  await example?.stop('SIGKILL');
});

describe('the https-redirect example', () => {
  it('redirects plain http to https on the same port, path and query kept', async () => {
    const res = await fetch(`http://localhost:${port}/a/b?c=1`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`https://localhost:${port}/a/b?c=1`);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers https with Strict-Transport-Security', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      https
        .get(`https://localhost:${port}/`, { rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, hsts: res.headers['strict-transport-security'] });
        })
        .on('error', reject);
    });
    expect(headers).toEqual({ status: 200, hsts: expect.stringMatching(/^max-age=60\b/) });
  });

  it('takes a browser from http to the https page', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const response = await page.goto(`http://localhost:${port}/hello?x=1`);
    expect(page.url()).toBe(`https://localhost:${port}/hello?x=1`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('You are on HTTPS');
    await context.close();
  });

  it('stops cleanly on SIGINT', async () => {
    expect(await example.stop('SIGINT')).toEqual([0, null]);
    expect(example.output()).toContain('stopped');
  });
});
