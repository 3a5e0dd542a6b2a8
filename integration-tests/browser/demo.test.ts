/**
 * The README's first command, end to end: the demo started as a user would (a child process
 * on a free port), driven by Chromium, then stopped with Ctrl-C (SIGINT).
 * Needs the built packages (`npm run build`), as `npm start` does.
 */
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { freePortPair, launchChromium, startExample } from './helpers';
import type { Example } from './helpers';

const DEMO_SCREENSHOT = '/tmp/mw-demo.png';

let browser: Browser;
let demo: Example;
let mainUrl: string;
let port: number;

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

/** Waits until the element's text no longer matches the placeholder. */
function settled(page: Page, id: string, placeholder: string): Promise<unknown> {
  return page.waitForFunction(
    `(function () { var el = document.getElementById(${JSON.stringify(id)});
      return el && el.textContent !== ${JSON.stringify(placeholder)} &&
        el.textContent !== 'fetching...'; })()`,
    undefined,
    { timeout: 10000 },
  );
}

beforeAll(async () => {
  port = await freePortPair();
  // No SESSION_SECRET: the demo must generate one and say so.
  demo = startExample('demo/server.js', { PORT: String(port), SESSION_SECRET: '' });
  const [browserReady, line] = await Promise.all([
    launchChromium(),
    demo.waitFor(/main app\s+(http:\/\/\S+)[^]*press Ctrl-C/),
  ]);
  browser = browserReady;
  mainUrl = line[1] ?? '';
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop('SIGKILL');
});

describe('the demo (examples/demo, what `npm start` runs)', () => {
  it('prints its URLs on start, and says once that it generated a session secret', () => {
    expect(mainUrl).toBe(`http://localhost:${port}/`);
    expect(demo.output()).toContain(`http://localhost:${port + 1}/`);
    expect(demo.output()).toContain(`http://127.0.0.1:${port + 1}/`);
    expect(demo.output().match(/SESSION_SECRET is not set/g)).toHaveLength(1);
  });

  it('shows a live page: session counter, Content-Encoding and both cross-origin outcomes', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
    const page = await context.newPage();

    await page.goto(mainUrl);
    expect(await text(page, '#visits')).toBe('1');
    await page.reload();
    await page.reload();
    expect(await text(page, '#visits')).toBe('3');

    // Chromium offers zstd and br on loopback; the demo prefers zstd where Node has it (22.15+),
    // then br, then gzip.
    const preferred =
      typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function'
        ? 'zstd'
        : 'br';
    await settled(page, 'encoding', '?');
    await settled(page, 'server-encoding', '?');
    expect(await text(page, '#encoding')).toBe(preferred);
    expect(await text(page, '#server-encoding')).toBe(preferred);
    expect(await text(page, '#sizes')).toMatch(/^\d+ bytes on the wire, \d+ bytes decoded$/);

    await settled(page, 'cors-allowed', 'waiting...');
    await settled(page, 'cors-refused', 'waiting...');
    expect(await text(page, '#cors-allowed')).toMatch(
      /^allowed: GET 200 "Hello, http:\/\/localhost:\d+!", PUT 200 \(PUT\), exposed X-Served-By: "the @mw demo"$/,
    );
    expect(await text(page, '#cors-refused')).toMatch(/^refused by the browser: TypeError: /);
    // The WebSocket panel: this page's own connection reads the session user; the allowed
    // origin's frame connects, the other origin's handshake is refused.
    await settled(page, 'ws-main', 'connecting...');
    await settled(page, 'ws-time', '?');
    expect(await text(page, '#ws-main')).toBe('open');
    const user = await text(page, '#user');
    expect(user).toMatch(/^visitor-[0-9a-f]{6}$/);
    expect(await text(page, '#ws-user')).toBe(user);
    expect(await text(page, '#ws-time')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await settled(page, 'ws-allowed', 'waiting...');
    await settled(page, 'ws-refused', 'waiting...');
    expect(await text(page, '#ws-allowed')).toBe(`opened: the handler read session user ${user}`);
    expect(await text(page, '#ws-refused')).toBe('refused: the handshake failed (close code 1006)');

    // The HttpOnly session cookie is invisible to script.
    expect(await text(page, '#cookie')).toBe('""');

    await page.screenshot({ path: DEMO_SCREENSHOT, fullPage: true });

    await page.click('#logout');
    await page.waitForURL(mainUrl);
    expect(await text(page, '#visits')).toBe('1');
    await context.close();
  });

  it('answers 400 when reached through a host name it does not serve', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${port}/`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('body').textContent()).toBe('Invalid host header');
    await page.close();
  });

  it('stops cleanly on Ctrl-C (SIGINT): servers closed, exit code 0', async () => {
    // A kept-alive browser connection, and the page's open WebSocket, must not hold the demo open.
    const page = await browser.newPage();
    await page.goto(mainUrl);
    await settled(page, 'ws-time', '?');
    expect(await demo.stop('SIGINT')).toEqual([0, null]);
    expect(demo.output()).toContain('demo: stopped');
    await page.close();
  });
});
