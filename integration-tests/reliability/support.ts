/**
 * Shared helpers of the reliability suite: raw HTTP/1.1 over a socket (so repeated headers,
 * obs-text and odd spacing reach the server exactly as written), a small response parser, a
 * timing helper, an itsdangerous-compatible signer (REFERENCE.md 2.3) for forged and aged
 * session cookies, and a fast-check seed that is fixed by default but overridable.
 */
import http from 'node:http';
import net from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { listenOn } from '../../test-support/http';
import type { Listening } from '../../test-support/http';

/**
 * fast-check parameters: a fixed seed so the suite is reproducible; `FC_SEED=<n>` replays or
 * explores another seed, `FC_RUNS=<n>` scales every property.
 */
export function fcParams(numRuns: number): { seed: number; numRuns: number } {
  const seed = process.env.FC_SEED === undefined ? 0x5eed : Number(process.env.FC_SEED);
  const scale = process.env.FC_RUNS === undefined ? 1 : Number(process.env.FC_RUNS) / 300;
  return { seed, numRuns: Math.max(1, Math.round(numRuns * scale)) };
}

/** A response read off the wire. */
export interface RawResponse {
  status: number;
  /** Header lines in order, names lower-cased. */
  headers: [string, string][];
  body: Buffer;
  /** Milliseconds from connect to the end of the response. */
  ms: number;
}

export function header(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n === name)?.[1];
}

export function headerAll(res: RawResponse, name: string): string[] {
  return res.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** Undoes `Transfer-Encoding: chunked`. */
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol === -1) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function parseResponse(data: Buffer, ms: number): RawResponse {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1)
    throw new Error(`incomplete response: ${JSON.stringify(data.toString('latin1'))}`);
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers = lines.slice(1).map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  let body = data.subarray(end + 4);
  if (headers.some(([n, v]) => n === 'transfer-encoding' && v === 'chunked')) body = dechunk(body);
  return { status, headers, body, ms };
}

/**
 * Sends `head` (request line and header lines, without the final blank line) plus
 * `Connection: close`, and resolves with the parsed response. Rejects after `timeoutMs`: a
 * request that hangs is a failure, never a skipped case.
 */
export function rawRequest(
  port: number,
  head: string,
  { timeoutMs = 3000, body = '' }: { timeoutMs?: number; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms to ${JSON.stringify(head)}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the response is not our concern
    socket.on('close', () => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks);
      try {
        resolve(parseResponse(data, performance.now() - started));
      } catch (err) {
        reject(err as Error);
      }
    });
    // No half-close: Node treats a client FIN as an abort (httpAllowHalfOpen is false).
    socket.write(Buffer.from(`${head}\r\nConnection: close\r\n\r\n${body}`, 'latin1'));
  });
}

/** Builds a request head from a request line and header pairs (repeats kept, order kept). */
export function buildHead(requestLine: string, headers: readonly (readonly [string, string])[]) {
  return [requestLine, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
}

/** Starts `listener` on a loopback port; `maxHeaderSize` raises Node's 16 KiB default. */
export function serve(
  listener: RequestListener,
  options: http.ServerOptions = {},
): Promise<Listening> {
  return listenOn(http.createServer(options, listener));
}

/** The median wall time of `fn` over `runs` runs, in milliseconds (one warm-up run first). */
export function medianMs(fn: () => void, runs = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

/**
 * itsdangerous `TimestampSigner` as Starlette uses it, written from REFERENCE.md 2.3 and
 * independent of @mw/session's own code: `base64(json) "." ts "." HMAC-SHA1(key, text)`.
 */
export function signCookie(json: string | Buffer, secret: string, timestamp: number): string {
  const key = createHash('sha1')
    .update('itsdangerous.Signer')
    .update('signer')
    .update(secret, 'utf8')
    .digest();
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(timestamp));
  let start = 0;
  while (start < 8 && bytes[start] === 0) start++;
  const ts = bytes.subarray(start).toString('base64url');
  const payload = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  const text = `${payload.toString('base64')}.${ts}`;
  return `${text}.${createHmac('sha1', key).update(text).digest('base64url')}`;
}

/** Seconds since the epoch, as itsdangerous reads the clock. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
