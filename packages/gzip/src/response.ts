import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyWriteHead } from '@mw/core';
import type { Codec, CompressStream } from './codecs';

/**
 * Per-response state and the `res.write` / `res.end` / `res.flush` replacements. The
 * replacements are shared functions reading the state through a symbol, so a request costs one
 * state object, not a set of closures; only the stream path (the slow one) allocates more.
 */

export const STATE = Symbol('@mw/gzip.state');

/** Not decided yet: the head has not been written. */
export const UNDECIDED: number = 0;
/** Sent as the app wrote it (not eligible, or identity negotiated). */
export const PASS: number = 1;
/** Single-shot body compressed in one step; `out` holds it. */
export const SINGLE: number = 2;
/** Compressed through a zlib stream. */
export const STREAM: number = 3;

type Callback = (err?: Error | null) => void;
type WriteHeadFn = (this: ServerResponse, statusCode: number, ...rest: unknown[]) => ServerResponse;
type WriteFn = (this: ServerResponse, chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
type EndFn = (this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) => unknown;

export class GzipState {
  mode: number = UNDECIDED;
  /** The head is being written by `res.end(body)` with no earlier write. */
  single = false;
  body: unknown = undefined;
  encoding: BufferEncoding | undefined = undefined;
  length = 0;
  out: Buffer | undefined = undefined;
  codec: Codec | undefined = undefined;
  stream: CompressStream | undefined = undefined;
  ended = false;
  paused = false;
  endCallback: Callback | undefined = undefined;
  /** The head may go out now (a write, an end or `flushHeaders` asked for it). */
  release = false;
  /** `res.writeHead` as it was before this middleware (core's hooked one). */
  writeHead: WriteHeadFn | undefined = undefined;
  flushHeaders: (() => void) | undefined = undefined;
  readonly write: WriteFn;
  readonly end: EndFn;
  readonly flush: (() => void) | undefined;
  readonly head: boolean;
  readonly accept: string | undefined;
  /** For the `filter` option. */
  readonly req: IncomingMessage;

  constructor(req: IncomingMessage, res: GzipResponse) {
    this.req = req;
    this.write = res.write as WriteFn;
    this.end = res.end as EndFn;
    this.flush = res.flush;
    this.head = req.method === 'HEAD';
    this.accept = req.headers['accept-encoding'];
  }
}

export type GzipResponse = ServerResponse & { [STATE]?: GzipState; flush?: () => void };

/** Writes the head now (running the onBeforeHead listeners, ours among them). */
function decideHead(res: GzipResponse, st: GzipState): void {
  st.release = true;
  if (!res.headersSent) res.writeHead(res.statusCode);
  // The head was written before this middleware could see it: leave the response alone.
  if (st.mode === UNDECIDED) st.mode = PASS;
}

/**
 * `res.writeHead` replacement: an explicit `writeHead()` before the body is held back (its status,
 * message and headers applied to the response) until the first `write`, `end` or `flushHeaders`,
 * as Starlette holds `http.response.start` until the first body message. So `writeHead()` then
 * `end(body)` is still a single-shot body: compressed in one step with an exact `Content-Length`,
 * or sent untouched when it is below `minimumSize`.
 */
export function gzipWriteHead(
  this: GzipResponse,
  statusCode: number,
  ...rest: unknown[]
): ServerResponse {
  const st = this[STATE]!;
  if (st.release || st.mode !== UNDECIDED || this.headersSent) {
    return st.writeHead!.call(this, statusCode, ...rest);
  }
  applyWriteHead(this, statusCode, rest);
  return this;
}

/** `res.flushHeaders` replacement: the head must go out now, held or not. */
export function gzipFlushHeaders(this: GzipResponse): void {
  const st = this[STATE]!;
  st.release = true;
  st.flushHeaders!.call(this);
}

/** `res.write` replacement: routes the chunk through the compressor on the stream path. */
export function gzipWrite(
  this: GzipResponse,
  chunk: unknown,
  encoding?: unknown,
  cb?: unknown,
): boolean {
  const st = this[STATE]!;
  if (st.mode === UNDECIDED) decideHead(this, st);
  if (st.mode !== STREAM || this.destroyed) return st.write.call(this, chunk, encoding, cb);
  if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
  if (st.ended) return asEnded(this, () => st.write.call(this, chunk, encoding, cb));
  const stream = st.stream ?? startStream(this, st);
  // False while the compressor holds a full buffer, which is the case while its output waits
  // on the socket; the compressor's 'drain' is forwarded to the response (see startStream).
  return stream.write(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8', cb as Callback);
}

/** `res.end` replacement: the single-shot decision, or the end of the compressed stream. */
export function gzipEnd(
  this: GzipResponse,
  chunk?: unknown,
  encoding?: unknown,
  cb?: unknown,
): GzipResponse {
  const st = this[STATE]!;
  if (typeof chunk === 'function') [cb, chunk, encoding] = [chunk, undefined, undefined];
  else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined];
  if (st.mode === UNDECIDED && !this.headersSent) {
    if (typeof chunk === 'string') {
      st.length = Buffer.byteLength(chunk, encoding as BufferEncoding | undefined);
    } else if (ArrayBuffer.isView(chunk)) {
      st.length = chunk.byteLength;
    } else if (chunk !== undefined && chunk !== null) {
      // Not a body Node accepts: let Node raise its usual error.
      st.mode = PASS;
      return st.end.call(this, chunk, encoding, cb) as GzipResponse;
    }
    st.single = true;
    st.body = chunk;
    st.encoding = encoding as BufferEncoding | undefined;
    decideHead(this, st);
    st.body = undefined;
    if (st.mode === SINGLE) {
      const out = st.out;
      st.out = undefined;
      return st.end.call(this, out, cb) as GzipResponse;
    }
  } else if (st.mode === UNDECIDED) {
    st.mode = PASS;
  }
  if (st.mode !== STREAM || this.destroyed) {
    return st.end.call(this, chunk, encoding, cb) as GzipResponse;
  }
  if (st.ended) return asEnded(this, () => st.end.call(this, chunk, encoding, cb) as GzipResponse);
  st.ended = true;
  st.endCallback = cb as Callback | undefined;
  const stream = st.stream ?? startStream(this, st);
  if (chunk === undefined || chunk === null) stream.end();
  else stream.end(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8');
  return this;
}

/**
 * Runs Node's own `write` or `end` as on a response whose `end()` has been called. After the
 * app's `end()` the compressor may still hold output, so Node's `res.finished` is not yet set;
 * a late `write`/`end(chunk)` must still raise Node's own `ERR_STREAM_WRITE_AFTER_END` (callback
 * and 'error' event) and a second `end(cb)` must get its callback, whatever the Node version's
 * rules for them are (issue 13). Node's code is the reference, so it is what runs.
 */
function asEnded<T>(res: GzipResponse, call: () => T): T {
  if (res.finished) return call();
  res.finished = true;
  try {
    return call();
  } finally {
    res.finished = false;
  }
}

/** `res.flush()`: pushes out what the compressor holds (server-sent events, long polls). */
export function gzipFlush(this: GzipResponse): void {
  const st = this[STATE]!;
  if (st.stream !== undefined) {
    if (!st.stream.destroyed) st.stream.flush(st.codec!.flushKind);
  } else if (st.flush !== undefined) {
    st.flush.call(this);
  }
}

/** Creates the compressor on first use and wires it to the response. */
function startStream(res: GzipResponse, st: GzipState): CompressStream {
  const stream = st.codec!.createStream();
  st.stream = stream;
  const emit = res.emit;
  // The app must see 'drain' when the *compressor* has room, not when the socket has: a socket
  // 'drain' while the compressor is still backlogged would let a well-behaved writer grow
  // zlib's buffer without bound. So the socket's 'drain' only resumes the compressor, and the
  // compressor's 'drain' is what the app (and `pipe`) hear. expressjs/compression moves
  // 'drain' listeners onto its stream for the same reason.
  res.emit = function gzipEmit(this: GzipResponse, event: string | symbol, ...args: unknown[]) {
    if (event !== 'drain') return emit.call(this, event, ...args);
    if (st.paused) {
      st.paused = false;
      stream.resume();
    }
    return true;
  } as GzipResponse['emit'];
  stream.on('drain', () => emit.call(res, 'drain'));
  stream.on('data', (data: Buffer) => {
    // Backpressure: stop reading compressed output until the socket drains.
    if (!st.write.call(res, data) && !res.destroyed) {
      st.paused = true;
      stream.pause();
    }
  });
  stream.once('end', () => {
    st.end.call(res, st.endCallback);
  });
  // A compressor error reaches the response (the head is out, so it can only be cut short),
  // never the process: an 'error' event without a listener would crash it.
  stream.on('error', (err: Error) => {
    res.destroy(err);
  });
  // 'close' before 'finish' is a client abort: release zlib's native memory now, not at GC
  // (Next.js measured ~256 KiB retained per aborted response). After 'finish' it is a no-op.
  res.once('close', () => {
    stream.destroy();
  });
  return stream;
}
