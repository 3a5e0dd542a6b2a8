/**
 * The whole collection at once, through stack(), under every framework in the harness: the
 * behaviours a user of all five sees, one request each. The middleware is passed in a
 * deliberately wrong order; stack() must still run trusted-host, https-redirect, cors, gzip,
 * session.
 */
import request from 'supertest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { frameworks } from '../support/frameworks';

const HOST = 'api.example.com';
const ORIGIN = 'https://app.example.com';
const DOCUMENT = {
  items: Array.from({ length: 200 }, (_, id) => ({ id, name: `item ${id}`, tags: ['a', 'b'] })),
};

function fullStack() {
  return stack(
    session({ secretKey: 'full-stack-secret' }),
    gzip(),
    cors({
      allowOrigins: [ORIGIN],
      allowMethods: ['GET', 'PUT'],
      allowHeaders: ['X-Custom'],
      allowCredentials: true,
      exposeHeaders: ['X-Request-Id'],
    }),
    // Loopback is the "proxy" here: supertest's X-Forwarded-Proto says the request was https.
    httpsRedirect({ trustProxy: true, hsts: { maxAge: 600 } }),
    trustedHost({ allowedHosts: [HOST] }),
  );
}

describe.each(frameworks)('the full stack under $name', (fw) => {
  let appRuns: string[];
  const app = fw.create([fullStack()], (req: IncomingMessage, res: ServerResponse) => {
    appRuns.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/json') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(DOCUMENT));
      return;
    }
    if (url.pathname === '/login') req.session.user = 'alice';
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ user: req.session.user ?? null }));
  });
  /** A request as the trusted TLS-terminating proxy forwards it, for our host. */
  const proxied = (agent: request.Test): request.Test =>
    agent.set('Host', HOST).set('X-Forwarded-Proto', 'https');

  beforeEach(() => {
    appRuns = [];
  });

  it('answers a CORS preflight itself, with HSTS, without running the app', async () => {
    const res = await proxied(request(app).options('/items'))
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'x-custom');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(res.headers['access-control-allow-headers']).toMatch(/\bX-Custom\b/i);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=600\b/);
    expect(appRuns).toEqual([]);
  });

  it('adds the simple CORS headers to a cross-origin GET', async () => {
    const res = await proxied(request(app).get('/')).set('Origin', ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect(res.headers.vary).toMatch(/\bOrigin\b/);
    expect(res.body).toEqual({ user: null });
  });

  it('compresses a large JSON response, which decodes to the same document', async () => {
    const res = await proxied(request(app).get('/json')).set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/\bAccept-Encoding\b/);
    expect(res.body).toEqual(DOCUMENT);
  });

  it('keeps a session across two requests through its cookie', async () => {
    const login = await proxied(request(app).get('/login'));
    expect(login.body).toEqual({ user: 'alice' });
    const setCookie = login.headers['set-cookie'] as unknown as string[] | undefined;
    expect(setCookie).toHaveLength(1);
    const cookie = (setCookie?.[0] ?? '').split(';', 1)[0] ?? '';
    expect(cookie).toMatch(/^session=/);

    const me = await proxied(request(app).get('/me')).set('Cookie', cookie);
    expect(me.body).toEqual({ user: 'alice' });
    expect(me.headers.vary).toMatch(/\bCookie\b/);
  });

  it('redirects a plain-http request to https, path and query kept', async () => {
    const res = await request(app).get('/some/path?q=1').set('Host', HOST);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`https://${HOST}/some/path?q=1`);
    expect(appRuns).toEqual([]);
  });

  it.each([
    ['over https', true],
    ['over plain http (trusted-host runs before the redirect)', false],
  ])('refuses a host it does not serve with 400, %s', async (_name, https) => {
    const agent = request(app).get('/').set('Host', 'evil.example.com');
    const res = await (https ? agent.set('X-Forwarded-Proto', 'https') : agent);
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid host header');
    expect(res.headers.location).toBeUndefined();
    expect(appRuns).toEqual([]);
  });
});
