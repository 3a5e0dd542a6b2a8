/**
 * WebSockets as Chromium opens them. The guarded server (`upgradeGuard` + `ws`) allows its own
 * origin and the page server reached as 127.0.0.1; the same page reached as localhost is another
 * site, whose handshake (cookies and all) is refused with 403.
 */
import type { IncomingMessage } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { cors } from '@mw/cors';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { guardedServer } from '../../test-support/websocket';
import type { GuardedServer } from '../../test-support/websocket';
import { launchChromium, serveHttp } from './helpers';
import type { Served } from './helpers';

let browser: Browser;
let pages: Served;
let server: GuardedServer;
/** The Origin of every handshake the server saw, and the ones it let through. */
const origins: (string | undefined)[] = [];

const PAGE = `<!doctype html><title>ws</title><script>
function openSocket(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onmessage = (event) => { resolve({ opened: true, message: JSON.parse(event.data) }); ws.close(); };
    ws.onclose = (event) => resolve({ opened: false, code: event.code });
  });
}
</script><p>page</p>`;

beforeAll(async () => {
  [browser, pages] = await Promise.all([
    launchChromium(),
    serveHttp((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(PAGE);
    }),
  ]);
  const mw = stack(
    cors({ allowOrigins: [`http://127.0.0.1:${pages.port}`] }),
    session({ secretKey: 'browser' }),
  );
  server = await guardedServer(mw, {
    greet: (req: IncomingMessage) => ({ user: req.session.user ?? null }),
    onRequest: (req, res) => {
      origins.push(req.headers.origin);
      mw(req, res, () => {
        if (req.url === '/login') req.session.user = 'ada';
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(PAGE);
      });
    },
  });
  server.server.prependListener('upgrade', (req: IncomingMessage) =>
    origins.push(req.headers.origin),
  );
});

afterAll(async () => {
  await Promise.all([browser?.close(), pages?.close(), server?.close()]);
});

let page: Page;
beforeEach(async () => {
  origins.length = 0;
  server.accepted.length = 0;
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.port}/login`); // the session cookie, for 127.0.0.1
});
afterEach(async () => {
  await page?.close();
});

function openFrom(pageUrl: string): Promise<{ opened: boolean; message?: unknown; code?: number }> {
  return page
    .goto(pageUrl)
    .then(() =>
      page.evaluate(
        (url) =>
          (globalThis as unknown as { openSocket(u: string): Promise<never> }).openSocket(url),
        server.wsUrl + '/live',
      ),
    );
}

describe('a guarded WebSocket server in Chromium', () => {
  it('opens from a page on an allowed origin, with the session user', async () => {
    const result = await openFrom(`http://127.0.0.1:${pages.port}/`);
    expect(result).toEqual({ opened: true, message: { user: 'ada' } });
    expect(server.accepted.map((req) => req.headers.origin)).toEqual([
      `http://127.0.0.1:${pages.port}`,
    ]);
  });

  it('opens from a page of the server itself (same origin)', async () => {
    const result = await openFrom(`http://127.0.0.1:${server.port}/`);
    expect(result).toEqual({ opened: true, message: { user: 'ada' } });
  });

  it('cannot open from the same page on another origin: the handshake is refused', async () => {
    const result = await openFrom(`http://localhost:${pages.port}/`);
    expect(result).toEqual({ opened: false, code: 1006 });
    expect(origins).toContain(`http://localhost:${pages.port}`);
    expect(server.accepted).toHaveLength(0);
  });
});
