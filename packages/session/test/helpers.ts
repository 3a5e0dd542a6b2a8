/**
 * Test support: Starlette's test_session.py app on a bare node:http server, a fixed clock,
 * and helpers that pull the session cookie out of a response.
 */
import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Middleware } from '@mw/core';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { clock } from '../src/clock';
import { pythonJson } from '../src/json';
import { TimestampSigner } from '../src/signer';

export const GOLDEN_TIME = 1700000000;

/** Freezes the signer's clock at `seconds` for the current test file (restored after each). */
export function useClock(seconds = GOLDEN_TIME): { set(s: number): void } {
  const real = clock.now;
  let now = seconds;
  beforeEach(() => {
    now = seconds;
    clock.now = () => now;
  });
  afterEach(() => {
    clock.now = real;
  });
  return {
    set(s: number) {
      now = s;
    },
  };
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: unknown) => void;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text === '' ? undefined : JSON.parse(text)));
  });
}

export function sendJson(res: ServerResponse, value: unknown): void {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(value));
}

/** Starlette's routes: view, update (merge the body), clear, and one that never touches it. */
export const STARLETTE_ROUTES: Record<string, Route> = {
  'GET /view_session': (req, res) => sendJson(res, { session: req.session }),
  'POST /update_session': (req, res, body) => {
    Object.assign(req.session, body);
    sendJson(res, { session: req.session });
  },
  'POST /clear_session': (req, res) => {
    for (const key of Object.keys(req.session)) delete req.session[key];
    sendJson(res, { session: req.session });
  },
  'GET /no_session': (_req, res) => sendJson(res, { status: 'ok' }),
};

/**
 * A bare node:http listener running `middleware`, then the route for `METHOD /path`; an error
 * passed to `next` answers 500 `error: <message>`.
 */
export function app(
  middleware: Middleware,
  routes: Record<string, Route> = STARLETTE_ROUTES,
): RequestListener {
  return (req, res) => {
    middleware(req, res, (err?: unknown) => {
      if (err) {
        res.statusCode = 500;
        res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      const route = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
      if (!route) {
        res.statusCode = 404;
        res.end('Not Found');
        return;
      }
      void readBody(req).then((body) => route(req, res, body));
    });
  };
}

/**
 * `session({ secretKey: 'example', ...options })` with two routes: `GET /store` writes
 * `{ some: 'data' }`, `GET /clear` empties the session.
 */
export function storeAndClear(options: Omit<SessionOptions, 'secretKey'>): RequestListener {
  return app(session({ secretKey: 'example', ...options }), {
    'GET /store': (req, res) => {
      req.session.some = 'data';
      res.end();
    },
    'GET /clear': (req, res) => {
      req.session = {};
      res.end();
    },
  });
}

/** Every Set-Cookie line of a supertest response. */
export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const value = res.headers['set-cookie'];
  return Array.isArray(value) ? (value as string[]) : value === undefined ? [] : [String(value)];
}

/** The value of the `name` cookie a response stores (`name=<value>;`), or undefined. */
export function cookieValue(
  res: { headers: Record<string, unknown> },
  name = 'session',
): string | undefined {
  for (const line of setCookies(res)) {
    const match = new RegExp(`^${name}=([^;]*);`).exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Raw response headers as [name, value] pairs, in wire order (duplicates kept). */
export function rawHeaders(
  listener: RequestListener,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<[string, string][]> {
  const server = http.createServer(listener);
  return new Promise((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const req = http.request({ port, host: '127.0.0.1', path, method, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          }
          server.close();
          resolve(pairs);
        });
      });
      req.on('error', (err) => {
        server.close();
        reject(err);
      });
      req.end(body);
    });
  });
}

/** A cookie value signed as Starlette would sign `data` (default: secret "example", golden time). */
export function signed(data: unknown, secret = 'example', at = GOLDEN_TIME): string {
  return new TimestampSigner([secret]).sign(pythonJson(data)!, at);
}
