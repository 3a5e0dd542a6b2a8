/**
 * What the other frameworks do differently, pinned as the root README ("Other frameworks")
 * documents it: Koa's chain before koa-connect stalls when @mw answers a request itself, and
 * neither Fastify's `trustProxy` nor Koa's `app.proxy` is read (only Express's setting is).
 */
import http from 'node:http';
import type { RequestListener } from 'node:http';
import type {} from '@fastify/middie';
import { cors } from '@mw/cors';
import { httpsRedirect } from '@mw/https-redirect';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import type { Middleware } from '@mw/core';
import { listenOn } from '../../test-support/http';
import type { Listening } from '../../test-support/http';
import { HOST, ORIGIN, fetchRaw } from './native/apps';

/* eslint-disable @typescript-eslint/no-require-imports */
const Koa = require('koa') as typeof import('koa');
const koaConnect = require('koa-connect') as typeof import('koa-connect');
const fastify = require('fastify') as typeof import('fastify').default;

const servers: Listening[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));
async function serve(listener: RequestListener): Promise<string> {
  const server = await listenOn(http.createServer(listener));
  servers.push(server);
  return server.url;
}

describe('Koa 3 + koa-connect', () => {
  describe('when a Koa middleware mounted before @mw awaits next()', () => {
    const finished: string[] = [];
    const resumed: string[] = [];
    let url: string;
    beforeAll(async () => {
      const app = new Koa();
      app.use(async (ctx, next) => {
        const name = `${ctx.method} ${ctx.path}`;
        ctx.res.on('finish', () => finished.push(name));
        await next();
        resumed.push(name);
      });
      app.use(
        koaConnect(
          stack(
            trustedHost({ allowedHosts: [HOST] }),
            httpsRedirect({ trustProxy: true }),
            cors({ allowOrigins: [ORIGIN], allowMethods: ['PUT'] }),
          ),
        ),
      );
      app.use((ctx) => {
        ctx.body = 'app';
      });
      url = await serve(app.callback());
    });

    it('resumes after a request the app answered', async () => {
      const res = await fetchRaw(`${url}/app`, { Host: HOST, 'X-Forwarded-Proto': 'https' });
      expect(res.body.toString()).toBe('app');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(resumed).toEqual(['GET /app']);
    });

    it.each([
      ['a refused Host', 'GET', '/refused', { Host: 'evil.example.com' }, 400],
      ['a plain-http request it redirects', 'GET', '/redirect', { Host: HOST }, 307],
      [
        'a CORS preflight',
        'OPTIONS',
        '/preflight',
        {
          Host: HOST,
          'X-Forwarded-Proto': 'https',
          Origin: ORIGIN,
          'Access-Control-Request-Method': 'PUT',
        },
        200,
      ],
    ])(
      'never resumes for %s, which @mw answered: only ctx.res "finish" sees it',
      async (_name, method, path, headers, status) => {
        const res = await fetchRaw(`${url}${path}`, headers, method);
        expect(res.status).toBe(status);
        const name = `${method} ${path}`;
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(finished).toContain(name);
        expect(resumed).not.toContain(name);
      },
    );
  });
});

describe.each<[string, (mw: Middleware) => Promise<RequestListener>]>([
  [
    "Fastify's trustProxy: true",
    async (mw) => {
      let listener: RequestListener | undefined;
      const app = fastify({
        trustProxy: true,
        serverFactory(handler) {
          listener = handler;
          return http.createServer(handler);
        },
      });
      await app.register(require('@fastify/middie'));
      app.use(mw);
      app.get('/', () => 'app');
      await app.ready();
      return listener!;
    },
  ],
  [
    "Koa's app.proxy = true",
    (mw) => {
      const app = new Koa({ proxy: true });
      app.use(koaConnect(mw));
      app.use((ctx) => {
        ctx.body = 'app';
      });
      return Promise.resolve(app.callback());
    },
  ],
])('with %s', (_name, build) => {
  it.each([
    ['is not read: a forwarded https request is still redirected', {}, 307],
    ['gives way to trustProxy passed to the middleware', { trustProxy: true }, 200],
  ])('%s', async (_case, options, status) => {
    const url = await serve(await build(httpsRedirect(options)));
    const res = await fetchRaw(url, { Host: HOST, 'X-Forwarded-Proto': 'https' });
    expect(res.status).toBe(status);
  });
});
