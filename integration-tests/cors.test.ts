import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';
import { stack } from '@mw/stack';
import { frameworks } from './support/frameworks';
import type { Handler } from './support/frameworks';

const O = 'https://app.example.com';
const PREFLIGHT_VARY =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

/** The app: says which path it saw and varies on Accept-Encoding itself. */
const app: Handler = (req, res) => {
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`app ${req.method ?? ''} ${req.url ?? ''}`);
};

const options: CorsOptions = {
  allowOrigins: [O, 'https://*.tenant.example'],
  allowMethods: ['GET', 'POST', 'PUT'],
  allowHeaders: ['Authorization', 'X-Token'],
  allowCredentials: true,
  exposeHeaders: ['X-Request-Id'],
  maxAge: 120,
};

describe.each(frameworks)('cors(options) under $name', (fw) => {
  const listener = (o: CorsOptions = options) => fw.create([cors(o)], app);

  it('answers an allowed preflight with 200 OK and never runs the app', async () => {
    const res = await request(listener())
      .options('/any/path?q=1')
      .set('Origin', O)
      .set('Access-Control-Request-Method', 'PUT')
      .set('Access-Control-Request-Headers', 'authorization, x-token');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe(O);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT');
    expect(res.headers['access-control-allow-headers']).toBe(
      'Accept, Accept-Language, Authorization, Content-Language, Content-Type, X-Token',
    );
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-max-age']).toBe('120');
    expect(res.headers.vary).toBe(PREFLIGHT_VARY);
  });

  it('answers a refused preflight with 400 and the failing parts', async () => {
    const res = await request(listener())
      .options('/')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'DELETE')
      .set('Access-Control-Request-Headers', 'x-nope');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Disallowed CORS origin, method, headers');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("reflects an allowed origin on the app's answer and merges the app's Vary", async () => {
    const res = await request(listener()).get('/x').set('Origin', 'https://a.b.tenant.example');
    expect(res.status).toBe(200);
    expect(res.text).toBe('app GET /x');
    expect(res.headers['access-control-allow-origin']).toBe('https://a.b.tenant.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('sends Vary: Origin but no Access-Control-Allow-Origin to a refused origin', async () => {
    const res = await request(listener()).get('/').set('Origin', 'https://tenant.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('sends Vary: Origin without an Origin', async () => {
    const res = await request(listener()).get('/');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it("answers '*' under allowOrigins ['*']", async () => {
    const res = await request(listener({ allowOrigins: ['*'] }))
      .get('/')
      .set('Origin', 'https://anyone.example');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('lets an OPTIONS request without Access-Control-Request-Method reach the app', async () => {
    const res = await request(listener()).options('/o').set('Origin', O);
    expect(res.text).toBe('app OPTIONS /o');
    expect(res.headers['access-control-allow-origin']).toBe(O);
  });

  it('allows an origin an async allowOrigin predicate resolves true for', async () => {
    const allowOrigin = async (origin: string) => origin === 'https://db-tenant.example';
    const res = await request(listener({ allowOrigin, allowCredentials: true }))
      .options('/')
      .set('Origin', 'https://db-tenant.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://db-tenant.example');
  });

  it("hands a rejected predicate's error to the framework's error handler, without running the app", async () => {
    const allowOrigin = () => Promise.reject(new Error('tenant lookup failed'));
    const res = await request(listener({ allowOrigin }))
      .get('/')
      .set('Origin', 'https://db-tenant.example');
    expect(res.status).toBe(500);
    expect(res.text).toBe('error: tenant lookup failed');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is ordered by stack() before other middleware and still answers preflights', async () => {
    let ran = false;
    const other = (_req: http.IncomingMessage, _res: http.ServerResponse, next: () => void) => {
      ran = true;
      next();
    };
    const res = await request(fw.create([stack(other, cors(options))], app))
      .options('/')
      .set('Origin', O)
      .set('Access-Control-Request-Method', 'GET');
    expect(res.status).toBe(200);
    expect(ran).toBe(false);
  });
});

describe('answering preflights for every path', () => {
  const preflight = (listener: http.RequestListener, path: string) =>
    request(listener).options(path).set('Origin', O).set('Access-Control-Request-Method', 'POST');

  describe('on Express 5', () => {
    it('answers them with app.use(cors(...)) before the routes, for paths with no route', async () => {
      const server = express();
      server.use(cors(options));
      server.post('/api/items', (_req, res) => {
        res.send('created');
      });
      for (const path of ['/', '/api/items', '/no/route/here']) {
        const res = await preflight(server, path);
        expect(res.status).toBe(200);
        expect(res.text).toBe('OK');
        expect(res.headers['access-control-allow-origin']).toBe(O);
      }
      const actual = await request(server).post('/api/items').set('Origin', O);
      expect(actual.text).toBe('created');
      expect(actual.headers['access-control-allow-origin']).toBe(O);
    });

    it("answers them with app.options('/{*splat}', cors(...)), the root included", async () => {
      const server = express();
      server.options('/{*splat}', cors(options));
      server.post('/api/items', cors(options), (_req, res) => {
        res.send('created');
      });
      for (const path of ['/', '/api/items', '/a/b/c']) {
        const res = await preflight(server, path);
        expect(res.status).toBe(200);
        expect(res.headers['access-control-allow-origin']).toBe(O);
      }
      const actual = await request(server).post('/api/items').set('Origin', O);
      expect(actual.text).toBe('created');
      expect(actual.headers['access-control-allow-origin']).toBe(O);
    });

    it("throws at app.options('*', ...) the error the README quotes word for word", () => {
      const server = express();
      let thrown: unknown;
      try {
        server.options('*', cors(options));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      const readme = fs.readFileSync(path.join(__dirname, '../packages/cors/README.md'), 'utf8');
      const quoted = /\*\*throws\*\* on Express 5\s+\(`([^`]+)`\)/.exec(readme)?.[1];
      expect(quoted).toBe(String(thrown));
    });
  });

  describe('on Express 4', () => {
    it("answers them with app.options('*', cors(...))", async () => {
      const server = express4();
      server.options('*', cors(options));
      for (const path of ['/', '/a/b/c']) {
        const res = await preflight(server, path);
        expect(res.status).toBe(200);
        expect(res.headers['access-control-allow-origin']).toBe(O);
      }
    });
  });
});
