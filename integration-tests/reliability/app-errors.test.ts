/**
 * Faults raised by the app inside each middleware: a synchronous throw, `next(err)`, and a
 * write after `end`. The error must reach the framework's error handler exactly once (counted by
 * an error whose `message` getter counts the harness handler's single read), the response must
 * be one well-formed head and body (no second `writeHead`, no ERR_HTTP_HEADERS_SENT), and the
 * server keeps serving.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import type { Middleware } from '@mw/core';
import { frameworks } from '../support/frameworks';
import { header, rawRequest, serve } from './support';
import type { RawResponse } from './support';

/** An error that counts how many times an error handler read its message. */
class CountedError extends Error {
  reads = 0;
  constructor() {
    super();
    Object.defineProperty(this, 'message', {
      get: () => {
        this.reads++;
        return 'boom';
      },
    });
  }
}

const MIDDLEWARE: readonly [string, () => Middleware][] = [
  ['trustedHost', () => trustedHost({ allowedHosts: ['example.com'] })],
  ['httpsRedirect', () => httpsRedirect({ trustProxy: true, hsts: {} })],
  ['cors', () => cors({ allowOrigins: ['https://app.example.com'], allowCredentials: true })],
  ['gzip', () => gzip({ minimumSize: 100 })],
  ['session', () => session({ secretKey: 'k' })],
  [
    'stack',
    () =>
      stack(
        trustedHost({ allowedHosts: ['example.com'] }),
        httpsRedirect({ trustProxy: true }),
        cors({ allowOrigins: ['https://app.example.com'] }),
        gzip({ minimumSize: 100 }),
        session({ secretKey: 'k' }),
      ),
  ],
];

const HEAD = [
  'GET /x HTTP/1.1',
  'Host: example.com',
  'X-Forwarded-Proto: https',
  'Origin: https://app.example.com',
  'Accept-Encoding: gzip',
  'Cookie: session=abc',
].join('\r\n');

/** One status line, a body as long as Content-Length says. */
function wellFormed(res: RawResponse): void {
  expect(res.body.includes('HTTP/1.1')).toBe(false);
  const length = header(res, 'content-length');
  if (length !== undefined) expect(res.body.length).toBe(Number(length));
}

type Failing = (err: Error) => Middleware;
const FAILING: readonly [string, Failing][] = [
  [
    'a middleware that throws',
    (err) => () => {
      throw err;
    },
  ],
  ['a middleware that calls next(err)', (err) => (_req, _res, next) => next(err)],
  [
    'a middleware that touches the session and headers, then calls next(err) later',
    (err) => (req, res, next) => {
      const s = (req as { session?: Record<string, unknown> }).session;
      if (s) s.touched = true;
      res.setHeader('X-Before', '1');
      setImmediate(() => next(err));
    },
  ],
  [
    'a middleware inside the same stack() that throws',
    (err) =>
      stack(() => {
        throw err;
      }),
  ],
];

describe.each(frameworks)('$name', (fw) => {
  describe.each(MIDDLEWARE)('inside %s', (_name, make) => {
    // Polka 0.5 does not catch a synchronous throw from any middleware (its loop has no
    // try/catch): the process would crash with or without @mw. stack() catches for it.
    it.each(
      FAILING.filter(
        ([caseName]) => fw.name !== 'Polka 0.5' || caseName !== 'a middleware that throws',
      ),
    )('%s reaches the error handler exactly once', async (caseName, failing) => {
      const err = new CountedError();
      const handler = jest.fn((_req: IncomingMessage, res: ServerResponse) => res.end('app'));
      const inner = failing(err);
      const list = caseName.includes('same stack()') ? [stack(make(), inner)] : [make(), inner];
      const server = await serve(fw.create(list, handler));
      try {
        const res = await rawRequest(server.port, HEAD);
        expect(res.status).toBe(500);
        expect(res.body.toString()).toBe('error: boom');
        wellFormed(res);
        expect(err.reads).toBe(1);
        expect(handler).not.toHaveBeenCalled();
        const again = await rawRequest(server.port, HEAD.replace('/x', '/ok'));
        expect(again.status).toBe(500); // still serving (the same failing middleware)
      } finally {
        await server.close();
      }
    });

    it.each([
      ['a single-shot body', false],
      ['a streamed body', true],
    ])(
      'an app that writes after ending %s gets the error on its callback; the response is intact',
      async (_case, streamed) => {
        const errors: unknown[] = [];
        const body = 'x'.repeat(2000);
        const server = await serve(
          fw.create([make()], (_req, res) => {
            res.on('error', (e) => errors.push(e));
            if (streamed) {
              res.write(body.slice(0, 1000));
              res.end(body.slice(1000));
            } else {
              res.end(body);
            }
            res.write('late', (e) => errors.push(e ?? 'no error'));
          }),
        );
        try {
          const res = await rawRequest(
            server.port,
            HEAD.replace('Accept-Encoding: gzip', 'Accept-Encoding: identity'),
          );
          expect(res.status).toBe(200);
          expect(res.body.toString()).toBe(body);
          wellFormed(res);
          await new Promise((resolve) => setTimeout(resolve, 20));
          expect(errors.length).toBeGreaterThanOrEqual(1);
          expect(errors).not.toContain('no error');
          for (const e of errors)
            expect((e as { code?: string }).code).not.toBe('ERR_HTTP_HEADERS_SENT');
        } finally {
          await server.close();
        }
      },
    );
  });
});

/** Middleware options that run user code on the request path, each failing. */
const FAILING_OPTIONS: readonly [string, (err: Error) => Middleware][] = [
  [
    'cors allowOrigin that throws',
    (err) =>
      cors({
        allowOrigin: () => {
          throw err;
        },
      }),
  ],
  ['cors allowOrigin that rejects', (err) => cors({ allowOrigin: () => Promise.reject(err) })],
  [
    'httpsRedirect trustProxy function that throws',
    (err) =>
      httpsRedirect({
        trustProxy: () => {
          throw err;
        },
      }),
  ],
];

describe.each(frameworks)('$name, a user callback that fails', (fw) => {
  it.each(FAILING_OPTIONS)('%s reaches the error handler exactly once', async (_name, make) => {
    const err = new CountedError();
    const handler = jest.fn((_req: IncomingMessage, res: ServerResponse) => res.end('app'));
    const server = await serve(fw.create([make(err)], handler));
    try {
      const res = await rawRequest(
        server.port,
        HEAD.replace('Origin: https://app.example.com', 'Origin: https://other.example'),
      );
      expect(res.status).toBe(500);
      expect(res.body.toString()).toBe('error: boom');
      wellFormed(res);
      expect(err.reads).toBe(1);
      expect(handler).not.toHaveBeenCalled();
    } finally {
      await server.close();
    }
  });

  it('a session onError that throws does not break the response', async () => {
    const onError = jest.fn(() => {
      throw new Error('onError failed');
    });
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const server = await serve(
      fw.create([session({ secretKey: 'k', onError })], (req, res) => {
        req.session.big = 'x'.repeat(5000); // over the 4096-byte cookie limit
        res.end('app');
      }),
    );
    try {
      const res = await rawRequest(server.port, HEAD);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('app');
      expect(header(res, 'set-cookie')).toBeUndefined();
      expect(onError).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
      await server.close();
    }
  });
});
