/**
 * The README's first command, end to end: the demo started as a user would (a child process
 * on a free port), driven by Chromium, then stopped with Ctrl-C (SIGINT).
 * Needs the built packages (`npm run build`), as `npm start` does.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePortPair, launchChromium } from './helpers';

const SERVER = path.join(__dirname, '..', '..', 'examples', 'demo', 'server.js');
const DEMO_SCREENSHOT = '/tmp/mw-demo.png';

let browser: Browser;
let demo: ChildProcess;
let output = '';
let mainUrl: string;
let port: number;

function waitForLine(pattern: RegExp, timeoutMs = 10000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo did not print ${pattern} in time; output:\n${output}`)),
      timeoutMs,
    );
    const check = (): void => {
      const match = output.match(pattern);
      if (!match) return;
      clearTimeout(timer);
      demo.stdout?.off('data', check);
      resolve(match);
    };
    demo.stdout?.on('data', check);
    demo.once('exit', () => reject(new Error(`demo exited early; output:\n${output}`)));
    check();
  });
}

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
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete env.SESSION_SECRET;
  demo = spawn(process.execPath, [SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout?.setEncoding('utf8');
  demo.stderr?.setEncoding('utf8');
  demo.stdout?.on('data', (chunk: string) => (output += chunk));
  demo.stderr?.on('data', (chunk: string) => (output += chunk));
  const [browserReady, line] = await Promise.all([
    launchChromium(),
    waitForLine(/main app\s+(http:\/\/\S+)[^]*press Ctrl-C/),
  ]);
  browser = browserReady;
  mainUrl = line[1] ?? '';
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
});

describe('the demo (examples/demo, what `npm start` runs)', () => {
  it('prints its URLs on start, and says once that it generated a session secret', () => {
    expect(mainUrl).toBe(`http://localhost:${port}/`);
    expect(output).toContain(`http://localhost:${port + 1}/`);
    expect(output).toContain(`http://127.0.0.1:${port + 1}/`);
    expect(output.match(/SESSION_SECRET is not set/g)).toHaveLength(1);
  });

  it('shows a live page: session counter, Content-Encoding and both cross-origin outcomes', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
    const page = await context.newPage();

    await page.goto(mainUrl);
    expect(await text(page, '#visits')).toBe('1');
    await page.reload();
    await page.reload();
    expect(await text(page, '#visits')).toBe('3');

    // Chromium offers br on loopback; the demo prefers br, then gzip.
    await settled(page, 'encoding', '?');
    await settled(page, 'server-encoding', '?');
    expect(await text(page, '#encoding')).toBe('br');
    expect(await text(page, '#server-encoding')).toBe('br');
    expect(await text(page, '#sizes')).toMatch(/^\d+ bytes on the wire, \d+ bytes decoded$/);

    await settled(page, 'cors-allowed', 'waiting...');
    await settled(page, 'cors-refused', 'waiting...');
    expect(await text(page, '#cors-allowed')).toMatch(
      /^allowed: GET 200 "Hello, http:\/\/localhost:\d+!", PUT 200 \(PUT\), exposed X-Served-By: "the @mw demo"$/,
    );
    expect(await text(page, '#cors-refused')).toMatch(/^refused by the browser: TypeError: /);
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
    // A kept-alive browser connection must not hold the demo open.
    const page = await browser.newPage();
    await page.goto(mainUrl);
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      demo.once('exit', (code, signal) => resolve([code, signal])),
    );
    demo.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    expect(output).toContain('demo: stopped');
    await page.close();
  });
});
