import * as zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendVary, isUpgrade, onBeforeHead, tagMiddleware, varyFields } from '@mw/core';
import type { Middleware, NextFunction } from '@mw/core';
import { buildCodecs } from './codecs';
import type { ZlibModule } from './codecs';
import {
  hasNoTransform,
  hasTransferCoding,
  isExcludedType,
  isPassThroughStatus,
  setIdentityLength,
  weakenEtag,
} from './eligibility';
import { explain, explainChosen, explainNotAcceptable, explainSkip } from './explain';
import { compileNegotiator } from './negotiate';
import type { Negotiator } from './negotiate';
import { compileOptions } from './options';
import type { GzipConfig, GzipOptions } from './options';
import {
  GzipState,
  PASS,
  SINGLE,
  STATE,
  STREAM,
  UNDECIDED,
  gzipEnd,
  gzipFlush,
  gzipFlushHeaders,
  gzipWrite,
  gzipWriteHead,
} from './response';
import type { GzipResponse } from './response';

/**
 * Single-shot bodies larger than this go through the stream path instead of one synchronous
 * call. Compressing 128 KiB at level 9 blocks the event loop for about 1-3 ms; beyond that a
 * stream, whose chunks zlib compresses on the thread pool, keeps other requests moving.
 * Starlette 1.7 uses the same figure for its worker-thread offload (`thread_minimum_size`,
 * #3410), as does @fastify/compress's idea of a `syncThreshold`. The price is that such a
 * body goes out chunked, without `Content-Length` (allowed by API.md's "Precise points").
 */
export const SYNC_LIMIT = 128 * 1024;

const VARY = varyFields('Accept-Encoding');

/**
 * Compresses response bodies with gzip (and, when allowed, brotli, deflate or zstd), as
 * Starlette 1.7's `GZipMiddleware` does, plus RFC 9110 negotiation, backpressure, `res.flush()`
 * and the pass-through rules listed in the README.
 *
 * A single-shot body (`res.end(body)` with no earlier `res.write`) of at least `minimumSize`
 * bytes is compressed in one step and gets an exact `Content-Length`; a smaller one is sent
 * untouched. A streamed body (`res.write` then `res.end`, or a piped stream) goes through a
 * zlib stream and loses `Content-Length`. `Vary: Accept-Encoding` is added to every eligible
 * response, compressed or not.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { gzip } from '@mw/gzip';
 *
 * const app = express();
 * app.use(gzip({ minimumSize: 1000, encodings: ['br', 'gzip'] }));
 * ```
 * @throws TypeError when an option is unknown, of the wrong type or out of range.
 */
export function gzip(options?: GzipOptions): Middleware {
  return createGzip(options, zlib);
}

/** {@link gzip} with the zlib module passed in: the seam tests use for zstd and failures. */
export function createGzip(options: GzipOptions | undefined, z: ZlibModule): Middleware {
  const config = compileOptions(options);
  const negotiate = compileNegotiator(buildCodecs(z, config));
  const onHead = compileHeadListener(config, negotiate);
  return tagMiddleware(function gzipMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
  ) {
    const r = res as GzipResponse;
    // Mounted twice (a router and the app): the outer one does the work. A WebSocket
    // handshake's answer is a bare 101 or a short refusal: nothing to compress.
    if (r[STATE] !== undefined || isUpgrade(req)) return next();
    const st = new GzipState(req, r);
    r[STATE] = st;
    r.write = gzipWrite as ServerResponse['write'];
    r.end = gzipEnd as ServerResponse['end'];
    r.flush = gzipFlush;
    onBeforeHead(res, onHead);
    // After onBeforeHead, so a held head is released through core's hooked writeHead.
    st.writeHead = r.writeHead as GzipState['writeHead'];
    st.flushHeaders = r.flushHeaders;
    r.writeHead = gzipWriteHead as ServerResponse['writeHead'];
    r.flushHeaders = gzipFlushHeaders;
    next();
  }, 'gzip');
}

/** The decision, made once per response just before its head is written. */
function compileHeadListener(
  config: GzipConfig,
  negotiate: Negotiator,
): (res: ServerResponse) => void {
  const { minimumSize, excluded, filter } = config;

  function isEligible(res: ServerResponse, st: GzipState): boolean {
    if (st.head || isPassThroughStatus(res.statusCode)) return false;
    if (res.hasHeader('content-encoding') || res.hasHeader('content-range')) return false;
    const te = res.getHeader('transfer-encoding');
    if (te !== undefined && hasTransferCoding(te)) return false;
    const type = res.getHeader('content-type');
    if (type !== undefined && isExcludedType(type, excluded)) return false;
    const cacheControl = res.getHeader('cache-control');
    if (cacheControl !== undefined && hasNoTransform(cacheControl)) return false;
    // The size rule applies to single-shot bodies only, as in Starlette (#2003); API.md makes
    // every streamed body eligible. A held `writeHead()` keeps `writeHead` + `end(body)` single.
    if (st.single && st.length < minimumSize) return false;
    // Last, so the app's filter runs only for responses that would be compressed.
    return filter === undefined || Boolean(filter(st.req, res));
  }

  return function gzipHead(res: ServerResponse): void {
    const st = (res as GzipResponse)[STATE];
    if (st === undefined || st.mode !== UNDECIDED) return;
    if (!isEligible(res, st)) {
      if (explain.enabled) explainSkip(res, st, config);
      return pass(res, st);
    }
    appendVary(res, VARY);
    const codec = negotiate(st.accept);
    if (codec === undefined) {
      if (explain.enabled) explainNotAcceptable(res, st, config);
      return pass(res, st);
    }
    if (st.single && st.length <= SYNC_LIMIT) {
      const body = st.body ?? EMPTY;
      const input =
        typeof body === 'string' && st.encoding !== undefined && st.encoding !== 'utf8'
          ? Buffer.from(body, st.encoding)
          : (body as Buffer | string);
      // Compress before touching the head: if zlib throws, the error page goes out plain.
      st.out = codec.compress(input);
      st.mode = SINGLE;
      // An app-set `Transfer-Encoding: chunked` frames the body, and RFC 9112 section 6.3
      // forbids sending Content-Length beside it (fetch refuses such a response): keep the
      // app's framing, as Node's own response does.
      if (!res.hasHeader('transfer-encoding')) res.setHeader('Content-Length', st.out.length);
      else res.removeHeader('Content-Length');
    } else {
      res.removeHeader('Content-Length');
      st.codec = codec;
      st.mode = STREAM;
    }
    if (explain.enabled) explainChosen(res, st, codec.encoding, st.mode === SINGLE);
    res.setHeader('Content-Encoding', codec.encoding);
    weakenEtag(res);
  };
}

const EMPTY = Buffer.alloc(0);

function pass(res: ServerResponse, st: GzipState): void {
  st.mode = PASS;
  if (st.single) setIdentityLength(res, st.head, st.length);
}
