import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** `https://example.org`, REFERENCE.md's `O`. */
export const O = 'https://example.org';

/** Starlette's test route: `PlainTextResponse("Homepage")`. */
export const homepage: Handler = (_req, res) => {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Homepage');
};

/**
 * A bare `node:http` server running `cors(options)` in front of `handler`; an error passed to
 * `next` is answered `500 error: <message>`. `maxHeaderSize` is raised so the 100 KB header
 * tests reach the middleware (Node's default refuses heads above 16 KB with 431).
 */
export function serve(options: CorsOptions, handler: Handler = homepage): http.Server {
  const mw = cors(options);
  return http.createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    mw(req, res, (err?: unknown) => {
      if (err !== undefined) {
        res.statusCode = 500;
        res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      handler(req, res);
    });
  });
}

export interface RawResponse {
  status: number;
  /** Header lines exactly as sent, names lower-cased: `[['vary', 'Origin'], ...]`. */
  headers: [string, string][];
  body: string;
}

/**
 * Sends one request with `http.request` and returns the raw header lines in order, which
 * supertest cannot show (it merges duplicates). `headers` may repeat a name.
 */
export async function rawRequest(
  server: http.Server,
  method: string,
  headers: [string, string][],
): Promise<RawResponse> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A repeated name becomes an array value, which Node sends as one line per value.
  const outgoing: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const prev = outgoing[name];
    outgoing[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  try {
    return await new Promise<RawResponse>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method,
        path: '/',
        headers: outgoing,
        agent: false,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const lines: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          }
          resolve({
            status: res.statusCode!,
            headers: lines,
            body: Buffer.concat(chunks).toString(),
          });
        });
      });
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The raw lines without the ones Node adds itself (date, connection, keep-alive). */
export function corsLines(res: RawResponse): [string, string][] {
  return res.headers.filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n));
}
