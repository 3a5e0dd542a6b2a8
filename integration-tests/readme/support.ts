/**
 * What a README example promises, and the client that checks it. Each package's promises live
 * in `checks/<pkg>.ts`, keyed by the example's path; readme-examples.test.ts runs them.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text, decoded from `Content-Encoding` (gzip, br, deflate) when there is one. */
  body: string;
  /** Bytes as they came over the wire. */
  wireBytes: number;
}

export interface RequestInit {
  method?: string;
  /** Sent as given; `Host` defaults to `localhost:<port>`. */
  headers?: Record<string, string>;
  body?: string;
}

/** Sends requests to one listening example. */
export interface Client {
  readonly port: number;
  request(path: string, init?: RequestInit): Promise<Answer>;
}

export type Middleware = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Serves `mw` in front of `handler` (default: `200 OK` with body `OK`) on a loopback port. */
export type Serve = (mw: unknown, handler?: http.RequestListener) => Promise<Client>;

export type ExampleCheck = ExampleKind & {
  /**
   * Set when a dependency of the example ships ES modules only (NestJS 12): the reason. The
   * example is then type-checked as an ES module, and its CommonJS build must fail with TS1479.
   */
  esmOnly?: string;
};

type ExampleKind =
  /** A program: started with a free `PORT` (and `env`), it listens and answers `check`'s requests. */
  | {
      kind: 'program';
      env?: Record<string, string>;
      check(client: Client, output: () => string): Promise<void>;
    }
  /** A module: its exports (middleware, option objects) are served and checked by the test. */
  | {
      kind: 'module';
      /** Set in process.env before the module is loaded. */
      env?: Record<string, string>;
      check(exports: Record<string, unknown>, serve: Serve): Promise<void>;
    }
  /**
   * A module with process-wide effects (a diagnostics_channel subscriber): preloaded (`node -r`)
   * in a child process that then runs `driver`; its output must match `output`.
   */
  | { kind: 'preload'; driver: string; output: RegExp }
  /** Run by another test file (a framework, Redis, nginx): it names the example's path. */
  | { kind: 'external'; test: string };

/**
 * Promises of one package's examples, keyed by path (`examples/readme/<pkg>/<file>`). An example
 * without an entry must be named by another test file, which runs it.
 */
export type Checks = Record<string, ExampleCheck>;

function decode(encoding: string | undefined, body: Buffer): Buffer {
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'deflate') return zlib.inflateSync(body);
  return body;
}

/** A client for `host:port` (`localhost` resolves to whichever loopback address is listening). */
export function client(port: number, host = 'localhost'): Client {
  return {
    port,
    request(path, init = {}) {
      return new Promise((resolve, reject) => {
        const req = http.request(
          { host, port, path, method: init.method ?? 'GET', headers: init.headers, agent: false },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const raw = Buffer.concat(chunks);
              const encoding = res.headers['content-encoding'];
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: decode(encoding, raw).toString('utf8'),
                wireBytes: raw.length,
              });
            });
          },
        );
        req.setTimeout(10_000, () => req.destroy(new Error(`${path}: no answer in 10 s`)));
        req.on('error', reject);
        req.end(init.body);
      });
    },
  };
}

const servers = new Set<http.Server>();

/** Serves `mw` on 127.0.0.1 with node:http, as the README's node:http examples do. */
export const serve: Serve = (mw, handler = (_req, res) => res.end('OK')) => {
  if (typeof mw !== 'function') throw new TypeError(`not a middleware: ${String(mw)}`);
  const server = http.createServer((req, res) =>
    (mw as Middleware)(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end(String(err));
        return;
      }
      handler(req, res);
    }),
  );
  servers.add(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(client((server.address() as AddressInfo).port, '127.0.0.1')),
    ),
  );
};

/** Closes every server `serve` opened. */
export async function closeServed(): Promise<void> {
  await Promise.all(
    [...servers].map((server) => {
      servers.delete(server);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
}
