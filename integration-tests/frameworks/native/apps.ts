/**
 * Each framework as its users write it: routes that answer the framework's own way (Fastify's
 * `reply.send`, Koa's `ctx.body`, Nest controllers' return values and `StreamableFile`), with
 * the @mw middleware mounted the way each documents Connect-style middleware. One app per
 * configuration of configs.cjs, each listening over HTTP and HTTPS.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { RequestListener } from 'node:http';
import type {} from '@fastify/middie'; // its augmentation: app.use
import type { Middleware } from '@mw/core';
import { listenOn } from '../../../test-support/http';
import type { Certificate, Listening } from '../../../test-support/http';

/* eslint-disable @typescript-eslint/no-require-imports */
const native = require('./configs.cjs') as {
  configs: Record<ConfigName, () => Middleware[]>;
  DOCUMENT: unknown;
  streamBody(): AsyncGenerator<Buffer>;
  countVisit(req: http.IncomingMessage): { count: number };
};
export const { HOST, ORIGIN, DOCUMENT, STREAM_CHUNKS } = require('./configs.cjs') as {
  HOST: string;
  ORIGIN: string;
  DOCUMENT: unknown;
  STREAM_CHUNKS: string[];
};

export type ConfigName = 'cors' | 'gzip' | 'session' | 'trusted-host' | 'https-redirect' | 'stack';
export type Urls = Record<ConfigName, { http: string; https: string }>;

export interface NativeFramework {
  name: string;
  /** Whether @mw follows the proxy trust set in the framework (only Express's is read). */
  readsTrustProxySetting: boolean;
  /** Starts one app per configuration; `close` stops them all. */
  start(cert: Certificate): Promise<{ urls: Urls; close(): Promise<void> }>;
}

async function fastifyListener(middleware: Middleware[]): Promise<RequestListener> {
  const fastify = require('fastify') as typeof import('fastify').default;
  let listener: RequestListener | undefined;
  const app = fastify({
    trustProxy: true, // not read by @mw: only Express's 'trust proxy' is
    serverFactory(handler) {
      listener = handler;
      return http.createServer(handler);
    },
  });
  await app.register(require('@fastify/middie'));
  for (const mw of middleware) app.use(mw);
  app.get('/', () => 'hello');
  app.get('/json', () => native.DOCUMENT);
  app.get('/stream', (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(Readable.from(native.streamBody())),
  );
  app.get('/counter', (request) => native.countVisit(request.raw));
  app.get('/vary', (_request, reply) => reply.header('Vary', 'Accept-Language').send('vary'));
  app.get('/forbidden', () => {
    throw Object.assign(new Error('Forbidden'), { statusCode: 403 });
  });
  await app.ready();
  return listener as RequestListener;
}

function koaListener(middleware: Middleware[]): Promise<RequestListener> {
  const Koa = require('koa') as typeof import('koa');
  const koaConnect = require('koa-connect') as typeof import('koa-connect');
  const app = new Koa({ proxy: true }); // not read by @mw: only Express's 'trust proxy' is
  for (const mw of middleware) app.use(koaConnect(mw));
  app.use((ctx) => {
    if (ctx.path === '/') ctx.body = 'hello';
    else if (ctx.path === '/json') ctx.body = native.DOCUMENT;
    else if (ctx.path === '/counter') ctx.body = native.countVisit(ctx.req);
    // ctx.set replaces a header (ctx.vary would append): the harshest thing an app can do.
    else if (ctx.path === '/vary') {
      ctx.set('Vary', 'Accept-Language');
      ctx.body = 'vary';
    }
    // Koa's error handler removes every header already set before it answers.
    else if (ctx.path === '/forbidden') ctx.throw(403);
    else if (ctx.path === '/stream') {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = Readable.from(native.streamBody());
    }
  });
  return Promise.resolve(app.callback());
}

function inProcess(
  name: string,
  build: (middleware: Middleware[]) => Promise<RequestListener>,
): NativeFramework {
  return {
    name,
    readsTrustProxySetting: false,
    async start(cert) {
      const servers: Listening[] = [];
      const urls = {} as Urls;
      for (const [config, middleware] of Object.entries(native.configs)) {
        const listener = await build(middleware());
        const plain = await listenOn(http.createServer(listener));
        const tls = await listenOn(https.createServer(cert, listener));
        servers.push(plain, tls);
        urls[config as ConfigName] = { http: plain.url, https: tls.url };
      }
      return { urls, close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
    },
  };
}

/** NestJS in a child process (nest-app.mjs): Nest 12 is ESM-only, which jest cannot load on Node 20. */
function nest(adapter: 'express' | 'fastify'): NativeFramework {
  return {
    name: `NestJS 12 on its ${adapter === 'express' ? 'Express' : 'Fastify'} adapter`,
    readsTrustProxySetting: adapter === 'express',
    start(cert) {
      const child = spawn(process.execPath, [path.join(__dirname, 'nest-app.mjs')], {
        env: { ...process.env, NEST_ADAPTER: adapter, MW_KEY: cert.key, MW_CERT: cert.cert },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const close = async (): Promise<void> => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      };
      return new Promise((resolve, reject) => {
        // Bounded, and never left running: a slow start kills the child and fails the suite.
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error('nest-app.mjs did not start within 25 s'));
        }, 25_000);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (!out.includes('\n')) return;
          clearTimeout(timer);
          resolve({ urls: JSON.parse(out) as Urls, close });
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`nest-app.mjs exited with ${code}`));
        });
      });
    },
  };
}

export const nativeFrameworks: readonly NativeFramework[] = [
  inProcess('Fastify 5 + @fastify/middie', fastifyListener),
  inProcess('Koa 3 + koa-connect', koaListener),
  nest('express'),
  nest('fastify'),
];

export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent, not decoded. */
  body: Buffer;
}

/** One request over a fresh connection (self-signed TLS accepted); the body is left encoded. */
export function fetchRaw(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Fetched> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, agent: false, rejectUnauthorized: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
