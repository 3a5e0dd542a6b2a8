/**
 * The frameworks every integration suite runs under. Each `create` mounts the given
 * middleware, then `handler` as the catch-all route, and an error handler that answers
 * `500` with `error: <message>` so a test can see an error reach the framework.
 */
import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type {} from '@fastify/middie'; // its augmentation: app.use
import type { Middleware } from '@mw/core';
import { listenOn } from '../../test-support/http';
import type { Listening } from '../../test-support/http';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Framework {
  name: string;
  /** Builds a request listener (what supertest and `http.createServer` take). */
  create(middleware: readonly Middleware[], handler: Handler): RequestListener;
}

function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
}

/* eslint-disable @typescript-eslint/no-require-imports */
type Use = { use: (...fns: unknown[]) => unknown };

function expressLike(moduleName: 'express' | 'express4'): Framework['create'] {
  return (middleware, handler) => {
    const express = require(moduleName) as () => Use & RequestListener;
    const app = express();
    for (const mw of middleware) app.use(mw);
    app.use(handler);
    app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: unknown) =>
      sendError(res, err),
    );
    return app;
  };
}

export const frameworks: readonly Framework[] = [
  { name: 'Express 5', create: expressLike('express') },
  { name: 'Express 4', create: expressLike('express4') },
  {
    name: 'Connect 3',
    create(middleware, handler) {
      const connect = require('connect') as () => Use & RequestListener;
      const app = connect();
      for (const mw of middleware) app.use(mw);
      app.use(handler);
      app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: unknown) =>
        sendError(res, err),
      );
      return app;
    },
  },
  ...(['polka', 'polka1'] as const).map((moduleName): Framework => ({
    name: moduleName === 'polka' ? 'Polka 0.5' : 'Polka 1.0.0-next.28',
    create(middleware, handler) {
      const polka = require(moduleName) as (opts: object) => Use & {
        handler: RequestListener;
      };
      const app = polka({
        onError: (err: unknown, _req: IncomingMessage, res: ServerResponse) => sendError(res, err),
      });
      for (const mw of middleware) app.use(mw);
      app.use(handler);
      return app.handler.bind(app);
    },
  })),
  {
    name: 'Fastify 5 + @fastify/middie',
    create(middleware, handler) {
      const fastify = require('fastify') as typeof import('fastify').default;
      let routing: RequestListener | undefined;
      const app = fastify({
        serverFactory(fastifyHandler) {
          routing = fastifyHandler;
          return http.createServer(fastifyHandler);
        },
      });
      // The body is the handler's to read: no parser consumes it first (no 415 either).
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', (_req, _payload, done) => done(null));
      app.setErrorHandler((err, _request, reply) => {
        reply.hijack();
        sendError(reply.raw, err);
      });
      const ready = app
        .register(require('@fastify/middie'))
        .after(() => {
          for (const mw of middleware) app.use(mw);
          app.all('/*', (request, reply) => {
            // Hijacked, Fastify no longer answers a throw itself: the harness does, as the
            // other frameworks' error handlers do.
            reply.hijack();
            try {
              handler(request.raw, reply.raw);
            } catch (err) {
              sendError(reply.raw, err);
            }
          });
        })
        .ready();
      return (req, res) => {
        ready.then(
          () => routing?.(req, res),
          (err: unknown) => sendError(res, err),
        );
      };
    },
  },
  {
    name: 'Koa 3 + koa-connect',
    create(middleware, handler) {
      const Koa = require('koa') as typeof import('koa');
      const koaConnect = require('koa-connect') as typeof import('koa-connect');
      const app = new Koa();
      app.use(async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.respond = false;
          sendError(ctx.res, err);
        }
      });
      for (const mw of middleware) app.use(koaConnect(mw));
      app.use((ctx) => {
        // A raw handler expects Node's defaults; Koa starts every response at 404.
        ctx.respond = false;
        ctx.res.statusCode = 200;
        handler(ctx.req, ctx.res);
      });
      return app.callback();
    },
  },
  {
    name: 'node:http',
    create(middleware, handler) {
      return (req, res) => {
        let i = 0;
        const next = (err?: unknown): void => {
          if (err) return sendError(res, err);
          const mw = middleware[i++];
          if (!mw) return handler(req, res);
          try {
            mw(req, res, next);
          } catch (thrown) {
            sendError(res, thrown);
          }
        };
        next();
      };
    },
  },
];

/** Starts `listener` on an ephemeral loopback port; resolves to its URL, port and a closer. */
export function listen(listener: RequestListener): Promise<Listening> {
  return listenOn(http.createServer(listener));
}
