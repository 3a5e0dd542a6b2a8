/** Shared helpers of the gzip unit tests: a bare node:http server and a raw client. */
import http from 'node:http';
import zlib from 'node:zlib';
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import type { Middleware } from '@mw/core';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A request listener running `mw` then `handler`, answering 500 when `next(err)` is called. */
export function app(mw: Middleware, handler: Handler): RequestListener {
  return (req, res) => {
    mw(req, res, (err?: unknown) => {
      if (err) {
        res.statusCode = 500;
        res.end(`error: ${String(err)}`);
        return;
      }
      handler(req, res);
    });
  };
}

export interface Running {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Starts `listener` on an ephemeral loopback port. */
export async function listen(listener: RequestListener): Promise<Running> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  /** The bytes on the wire, not decoded. */
  body: Buffer;
}

export interface RawRequest {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
}

/** One request against a running server; the body is returned exactly as sent. */
export function fetchRaw(
  port: number,
  { path = '/', method = 'GET', headers = {} }: RawRequest = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts `listener`, makes one request, stops the server. */
export async function call(
  listener: RequestListener,
  request: RawRequest = {},
): Promise<RawResponse> {
  const running = await listen(listener);
  try {
    return await fetchRaw(running.port, request);
  } finally {
    await running.close();
  }
}

/** Decodes a body by its Content-Encoding (none, gzip, br, deflate). */
export function decode(res: RawResponse): Buffer {
  switch (res.headers['content-encoding']) {
    case undefined:
      return res.body;
    case 'gzip':
      return zlib.gunzipSync(res.body);
    case 'br':
      return zlib.brotliDecompressSync(res.body);
    case 'deflate':
      return zlib.inflateSync(res.body);
    case 'zstd':
      return (zlib as unknown as { zstdDecompressSync(b: Buffer): Buffer }).zstdDecompressSync(
        res.body,
      );
    default:
      throw new Error(`unexpected encoding ${res.headers['content-encoding']}`);
  }
}

/** Deterministic, partly compressible bytes (JSON-ish text with a pseudo-random part). */
export function sampleBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = i % 3 === 0 ? 97 + (x % 26) : 32 + ((i * 7) % 90);
  }
  return out;
}

/** Incompressible bytes, so compressed size tracks input size (backpressure tests). */
export function randomBytes(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
