import request from 'supertest';
import type { Middleware } from '@mw/core';
import { cors } from '@mw/cors';
import { httpsRedirect } from '@mw/https-redirect';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { tracer } from '../test-support/tracer';
import { frameworks } from './support/frameworks';

const app: Parameters<(typeof frameworks)[number]['create']>[1] = (_req, res) => res.end('app');

describe.each(frameworks)('stack() under $name', (fw) => {
  it('orders the collection and runs the app', async () => {
    const mw = stack(
      tracer('own'),
      tracer('session', 'session'),
      tracer('cors', 'cors'),
      tracer('th', 'trusted-host'),
    );
    const res = await request(fw.create([mw], app)).get('/some/path?q=1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('app');
    expect(res.headers['x-trace']).toBe('th,cors,session,own');
  });

  it.each<[string, Middleware]>([
    [
      'a synchronous throw',
      () => {
        throw new Error('sync');
      },
    ],
    ['next(err)', (_q, _s, next) => next(new Error('sync'))],
    [
      'a rejected promise',
      (async () => {
        throw new Error('sync');
      }) as unknown as Middleware,
    ],
  ])('hands %s to the framework error handler', async (_name, failing) => {
    const res = await request(fw.create([stack(tracer('a'), failing)], app)).get('/');
    expect(res.status).toBe(500);
    expect(res.text).toBe('error: sync');
  });

  it('nests, ranking the inner stack by its outermost member', async () => {
    const res = await request(
      fw.create([stack(tracer('o'), stack(tracer('i'), tracer('c', 'cors')))], app),
    ).get('/');
    expect(res.headers['x-trace']).toBe('c,i,o');
  });

  it('refuses a preflight with a forged Host when trusted-host sits in an inner stack', async () => {
    const mw = stack(
      cors({ allowOrigins: ['https://app.example.com'] }),
      stack(trustedHost({ allowedHosts: ['example.com'] }), httpsRedirect()),
    );
    const res = await request(fw.create([mw], app))
      .options('/')
      .set('Host', 'evil.example')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid host header');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is a no-op with zero middleware', async () => {
    const res = await request(fw.create([stack()], app)).get('/');
    expect(res.text).toBe('app');
  });
});

describe.each(['express', 'express4'])("stack() under %s: next('route')", (moduleName) => {
  it("skips to the next route when a stacked middleware calls next('route')", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const express = require(moduleName) as typeof import('express');
    const server = express();
    const skip: Middleware = (_q, _s, next) => next('route');
    server.get('/', stack(tracer('a'), skip), (_q, res) => {
      res.send('first route');
    });
    server.get('/', (_q, res) => {
      res.send('second route');
    });
    const res = await request(server).get('/');
    expect(res.text).toBe('second route');
  });
});
