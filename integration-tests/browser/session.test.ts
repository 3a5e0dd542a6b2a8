/**
 * Session cookies as Chromium keeps them: across navigations, cleared on logout, and a
 * `Secure` (httpsOnly) cookie never sent over plain HTTP. `*.test` host names are mapped to
 * 127.0.0.1 so the secure-cookie case runs on an ordinary (not localhost) host name, where the
 * browser applies its normal rules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { launchChromium, serveHttp, serveHttps } from './helpers';
import type { Served } from './helpers';

const SECRET = 'browser-session-test-secret';

/** A small app: /login?user=x, /logout, anything else shows the session. */
function sessionApp(options: SessionOptions, extra?: (res: ServerResponse) => void) {
  const middleware = session(options);
  return (req: IncomingMessage, res: ServerResponse): void => {
    middleware(req, res, () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/login') {
        req.session.user = url.searchParams.get('user');
        extra?.(res);
      } else if (url.pathname === '/logout') {
        req.session = null;
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      const user = typeof req.session.user === 'string' ? req.session.user : 'anonymous';
      res.end(`<!doctype html><title>session</title><p id="user">${user}</p>`);
    });
  };
}

let browser: Browser;
let context: BrowserContext;
let plain: Served;
let secure: Served;
let echo: Served;

beforeAll(async () => {
  [browser, plain, secure, echo] = await Promise.all([
    launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']),
    serveHttp(sessionApp({ secretKey: SECRET })),
    serveHttps(
      sessionApp({ secretKey: SECRET, httpsOnly: true }, (res) =>
        res.setHeader('Set-Cookie', 'plain=1; Path=/'),
      ),
    ),
    // Plain HTTP on the same host name: reports the cookies the browser sent.
    serveHttp((req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(req.headers.cookie ?? '');
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), plain?.close(), secure?.close(), echo?.close()]);
});

beforeEach(async () => {
  context = await browser.newContext({ ignoreHTTPSErrors: true });
});
afterEach(async () => {
  await context?.close();
});

describe('session(options) in Chromium', () => {
  it('keeps the session cookie across navigations and clears it on logout', async () => {
    const page = await context.newPage();
    await page.goto(`${plain.url}/login?user=alice`);
    expect(await page.textContent('#user')).toBe('alice');
    await page.goto(`${plain.url}/`);
    expect(await page.textContent('#user')).toBe('alice');
    await page.goto(`${plain.url}/elsewhere?x=1`);
    await page.goBack();
    await page.reload();
    expect(await page.textContent('#user')).toBe('alice');
    expect((await context.cookies()).map((c) => c.name)).toEqual(['session']);

    await page.goto(`${plain.url}/logout`);
    expect(await page.textContent('#user')).toBe('anonymous');
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${plain.url}/`);
    expect(await page.textContent('#user')).toBe('anonymous');
  });

  it('keeps a tampered cookie from logging anyone in', async () => {
    const page = await context.newPage();
    await page.goto(`${plain.url}/login?user=alice`);
    const [cookie] = await context.cookies();
    if (!cookie) throw new Error('no session cookie');
    const forged = Buffer.from('{"user": "mallory"}').toString('base64');
    await context.addCookies([
      { ...cookie, value: `${forged}.${cookie.value.split('.', 2)[1]}.x` },
    ]);
    await page.goto(`${plain.url}/`);
    expect(await page.textContent('#user')).toBe('anonymous');
  });

  describe('with httpsOnly: true', () => {
    it('sends the Secure cookie over https and never over plain http', async () => {
      const page = await context.newPage();
      await page.goto(`https://app.test:${secure.port}/login?user=bob`);
      expect(await page.textContent('#user')).toBe('bob');
      const stored = await context.cookies();
      expect(stored.find((c) => c.name === 'session')).toMatchObject({ secure: true });

      await page.goto(`https://app.test:${secure.port}/`);
      expect(await page.textContent('#user')).toBe('bob');

      // Same host name, plain http: the ordinary cookie goes, the Secure one does not.
      await page.goto(`http://app.test:${echo.port}/`);
      expect(await page.textContent('body')).toBe('plain=1');
    });
  });
});
