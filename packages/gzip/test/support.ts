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

/** A response with the middleware's `res.flush()`. */
export type Flushable = ServerResponse & { flush(): void };

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a GET whose response the caller reads (or not) at its own pace. */
export function open(port: number, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, headers }, resolve).on('error', reject);
  });
}

/** What a writer that respects backpressure did: bytes written, `false` returns, drains seen. */
export interface Pumped {
  written: number;
  falses: number;
  drains: number;
}

/**
 * A handler writing `total` bytes in `chunk()` pieces, as a well-behaved app does: when
 * `res.write()` returns false it waits for 'drain', then goes on; it ends the response last.
 */
export function pumpHandler(total: number, chunk: () => Buffer, pumped: Pumped): Handler {
  return (_req, res) => {
    const pump = (): void => {
      while (pumped.written < total) {
        const piece = chunk();
        pumped.written += piece.length;
        if (!res.write(piece)) {
          pumped.falses++;
          res.once('drain', () => {
            pumped.drains++;
            pump();
          });
          return;
        }
      }
      res.end();
    };
    pump();
  };
}

/**
 * Waits (bounded: 50 looks, 200 ms apart) until `written()` stops growing, and returns where it
 * stopped: on a loaded machine the kernel's socket buffers take a while to fill.
 */
export async function stalled(written: () => number): Promise<number> {
  let stalledAt = -1;
  for (let i = 0; i < 50 && written() !== stalledAt; i++) {
    stalledAt = written();
    await sleep(200);
  }
  return stalledAt;
}

/** An endless stream: `chunk` written and flushed every 5 ms until the client leaves. */
export function endlessFlushed(chunk: Buffer, onClose: (res: ServerResponse) => void): Handler {
  return (_req, res) => {
    const timer = setInterval(() => {
      res.write(chunk);
      (res as Flushable).flush();
    }, 5);
    res.once('close', () => {
      clearInterval(timer);
      onClose(res);
    });
    res.write(chunk);
    (res as Flushable).flush();
  };
}

/**
 * `batches` rounds of 50 clients at once, each aborting its request as soon as the first
 * compressed bytes arrive; `check` sees each response's head first.
 */
export async function abortingClients(
  port: number,
  headers: Record<string, string>,
  batches: number,
  check: (res: IncomingMessage) => void = () => undefined,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: false });
  for (let batch = 0; batch < batches; batch++) {
    await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = http.get({ host: '127.0.0.1', port, agent, headers }, (res) => {
              check(res);
              res.once('data', () => {
                req.destroy();
                resolve();
              });
            });
            req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
          }),
      ),
    );
  }
  agent.destroy();
}

/**
 * A server-sent-event stream of five events 150 ms apart, each flushed at once; `sentAt` gets
 * the time each was written, so a test can check it arrived before the next one was.
 */
export function timedEvents(sentAt: number[]): Handler {
  return (_req, res) => {
    res.setHeader('Content-Type', 'text/event-stream');
    let i = 0;
    const send = (): void => {
      sentAt.push(Date.now());
      res.write(`id: ${i}\ndata: ${'event payload '.repeat(5)}${i}\n\n`);
      (res as Flushable).flush();
      if (++i === 5) setTimeout(() => res.end(), 150);
      else setTimeout(send, 150);
    };
    send();
  };
}
