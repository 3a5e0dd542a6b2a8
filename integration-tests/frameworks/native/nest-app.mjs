/**
 * A NestJS application per middleware configuration (configs.cjs), on the adapter named by
 * NEST_ADAPTER (`express` or `fastify`), each served over HTTP and HTTPS (MW_KEY / MW_CERT)
 * from the same request listener, as Nest documents for "multiple simultaneous servers".
 * Prints one JSON line, `{ "<config>": { "http": url, "https": url } }`, once all listen.
 *
 * A child process because Nest 12 is ESM-only and jest cannot load ESM on Node 20; decorators
 * are applied as functions, so the file needs no compiler.
 */
import 'reflect-metadata';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Module,
  Req,
  Session,
  StreamableFile,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const require = createRequire(import.meta.url);
const { configs, DOCUMENT, streamBody, countVisit } = require('./configs.cjs');

class AppController {
  hello() {
    return 'hello';
  }
  json() {
    return DOCUMENT;
  }
  stream() {
    return new StreamableFile(Readable.from(streamBody()), { type: 'text/plain; charset=utf-8' });
  }
  counter(req) {
    // Express hands Nest its own request; Fastify a FastifyRequest around the Node one.
    return countVisit(req.raw ?? req);
  }
  vary() {
    return 'vary';
  }
  forbidden() {
    throw new ForbiddenException();
  }
  decorated(session, req) {
    // Whether Nest's @Session() hands the route @mw's session.
    return { atSessionIsMwSession: session !== undefined && session === (req.raw ?? req).session };
  }
}
for (const [name, path] of [
  ['hello', ''],
  ['json', 'json'],
  ['stream', 'stream'],
  ['counter', 'counter'],
  ['vary', 'vary'],
  ['forbidden', 'forbidden'],
  ['decorated', 'decorated'],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(AppController.prototype, name);
  Get(path)(AppController.prototype, name, descriptor);
}
Req()(AppController.prototype, 'counter', 0);
Session()(AppController.prototype, 'decorated', 0);
Req()(AppController.prototype, 'decorated', 1);
Header('Vary', 'Accept-Language')(
  AppController.prototype,
  'vary',
  Object.getOwnPropertyDescriptor(AppController.prototype, 'vary'),
);
Controller()(AppController);
class AppModule {}
Module({ controllers: [AppController] })(AppModule);

async function createListener(middleware) {
  let listener;
  const adapter =
    process.env.NEST_ADAPTER === 'fastify'
      ? new FastifyAdapter({
          trustProxy: true, // not read by @mw: only Express's 'trust proxy' is
          serverFactory(handler) {
            listener = handler;
            return http.createServer(handler);
          },
        })
      : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: ['error'] });
  // Express's own setting, which @mw reads when trustProxy is not passed.
  if (!listener) app.set('trust proxy', 'loopback');
  for (const mw of middleware) app.use(mw);
  await app.init();
  // Fastify builds its hook chains in ready(), which Nest runs only in listen() (Nest's
  // testing docs call it after init()); a request before that crashes Fastify's router.
  if (listener) await app.getHttpAdapter().getInstance().ready();
  return listener ?? app.getHttpAdapter().getInstance();
}

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

const tls = { key: process.env.MW_KEY, cert: process.env.MW_CERT };
const urls = {};
for (const [name, build] of Object.entries(configs)) {
  const listener = await createListener(build());
  urls[name] = {
    http: `http://127.0.0.1:${await listen(http.createServer(listener))}`,
    https: `https://127.0.0.1:${await listen(https.createServer(tls, listener))}`,
  };
}
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => process.exit(0));
