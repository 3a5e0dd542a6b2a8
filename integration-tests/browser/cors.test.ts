/**
 * CORS as Chromium enforces it. The API and the pages are on different loopback ports; the
 * page server is reached as 127.0.0.1 (the allowed origin) or localhost (not allowed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';
import { launchChromium, serveHttp } from './helpers';
import type { Served } from './helpers';

let browser: Browser;
let pages: Served;
let api: Served;
let apiWithoutCredentials: Served;
let allowedOrigin: string;
let refusedOrigin: string;
/** `METHOD /path` of every request the API server saw, in order. */
let seen: string[] = [];

function apiServer(options: CorsOptions): Promise<Served> {
  const middleware = cors(options);
  return serveHttp((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    middleware(req, res, (err?: unknown) => {
      if (err) {
        res.statusCode = 500;
        res.end(String(err));
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Exposed', 'exposed-value');
      res.setHeader('X-Hidden', 'hidden-value');
      if (req.url === '/login') res.setHeader('Set-Cookie', 'sid=abc123; Path=/; SameSite=Lax');
      res.end(
        JSON.stringify({ method: req.method, cookie: req.headers.cookie ?? null, url: req.url }),
      );
    });
  });
}

beforeAll(async () => {
  [browser, pages] = await Promise.all([
    launchChromium(),
    serveHttp((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end('<!doctype html><title>page</title><p>page</p>');
    }),
  ]);
  allowedOrigin = `http://127.0.0.1:${pages.port}`;
  refusedOrigin = `http://localhost:${pages.port}`;
  const shared: CorsOptions = {
    allowOrigins: [allowedOrigin],
    allowMethods: ['GET', 'PUT'],
    allowHeaders: ['X-Allowed'],
    exposeHeaders: ['X-Exposed'],
  };
  [api, apiWithoutCredentials] = await Promise.all([
    apiServer({ ...shared, allowCredentials: true }),
    apiServer(shared),
  ]);
});

afterAll(async () => {
  await Promise.all([
    browser?.close(),
    pages?.close(),
    api?.close(),
    apiWithoutCredentials?.close(),
  ]);
});

let page: Page;
beforeEach(() => {
  seen = [];
});
afterEach(async () => {
  await page?.close();
});

async function open(origin: string): Promise<Page> {
  page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

interface Outcome {
  ok: boolean;
  status?: number;
  body?: { method: string; cookie: string | null };
  exposed?: string | null;
  hidden?: string | null;
  error?: string;
}

/** The part of `RequestInit` these tests use (serialisable into the page). */
interface PageInit {
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'include' | 'omit' | 'same-origin';
}

/** Runs `fetch(url, init)` in the page; a rejection is reported, not thrown. */
function fetchInPage(target: Page, url: string, init: PageInit = {}): Promise<Outcome> {
  return target.evaluate(
    async ([u, i]) => {
      try {
        const res = await fetch(u, i as RequestInit);
        return {
          ok: true,
          status: res.status,
          body: (await res.json()) as { method: string; cookie: string | null },
          exposed: res.headers.get('X-Exposed'),
          hidden: res.headers.get('X-Hidden'),
        };
      } catch (err) {
        return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
      }
    },
    [url, init] as const,
  );
}

describe('cors(options) in Chromium', () => {
  describe('a simple GET', () => {
    it('is readable from the allowed origin', async () => {
      const outcome = await fetchInPage(await open(allowedOrigin), `${api.url}/data`);
      expect(outcome).toMatchObject({ ok: true, status: 200, body: { method: 'GET' } });
    });

    it('rejects in the page for an origin that is not allowed (the server still ran it)', async () => {
      const outcome = await fetchInPage(await open(refusedOrigin), `${api.url}/data`);
      expect(outcome).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      expect(seen).toEqual(['GET /data']);
    });
  });

  describe('a preflighted PUT with a custom header', () => {
    it('runs when the header is allowed: OPTIONS, then the PUT', async () => {
      const outcome = await fetchInPage(await open(allowedOrigin), `${api.url}/item`, {
        method: 'PUT',
        headers: { 'X-Allowed': '1' },
      });
      expect(outcome).toMatchObject({ ok: true, status: 200, body: { method: 'PUT' } });
      expect(seen).toEqual(['OPTIONS /item', 'PUT /item']);
    });

    it('is refused when the header is not allowed: the PUT never leaves the browser', async () => {
      const outcome = await fetchInPage(await open(allowedOrigin), `${api.url}/item`, {
        method: 'PUT',
        headers: { 'X-Refused': '1' },
      });
      expect(outcome).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      expect(seen).toEqual(['OPTIONS /item']);
    });
  });

  describe('credentials with an explicit origin', () => {
    it('keeps and sends the cookie, and the page reads the answer', async () => {
      const target = await open(allowedOrigin);
      const login = await fetchInPage(target, `${api.url}/login`, { credentials: 'include' });
      expect(login).toMatchObject({ ok: true, status: 200 });
      const whoami = await fetchInPage(target, `${api.url}/whoami`, { credentials: 'include' });
      expect(whoami).toMatchObject({ ok: true, body: { cookie: 'sid=abc123' } });
    });

    it('rejects a credentialed fetch when allowCredentials is off', async () => {
      const outcome = await fetchInPage(
        await open(allowedOrigin),
        `${apiWithoutCredentials.url}/data`,
        { credentials: 'include' },
      );
      expect(outcome).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    });
  });

  describe('response headers', () => {
    it('lets script read an exposed header and hides one that is not exposed', async () => {
      const outcome = await fetchInPage(await open(allowedOrigin), `${api.url}/data`);
      expect(outcome).toMatchObject({ ok: true, exposed: 'exposed-value', hidden: null });
    });
  });
});
