import type * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import type { Encoding, GzipConfig } from './options';
import { ResumableDeflate, gzipContainer, zlibContainer } from './resumable';

/**
 * The parts of `node:zlib` the middleware uses. Passing the module in (instead of importing
 * it here) lets tests exercise both sides of the zstd feature test and inject failing
 * compressors.
 */
export type ZlibModule = Pick<
  typeof zlib,
  | 'constants'
  | 'gzipSync'
  | 'deflateSync'
  | 'brotliCompressSync'
  | 'createBrotliCompress'
  | 'deflateRawSync'
  | 'createDeflateRaw'
> & {
  /** Node >= 20.15 / 22.2; a table implementation stands in elsewhere. */
  crc32?: (data: Uint8Array, value?: number) => number;
  /** Node >= 22.15 / 23.8 only; `@types/node` 20 does not declare them. */
  createZstdCompress?: (options?: object) => Transform;
  zstdCompressSync?: (buffer: Buffer, options?: object) => Buffer;
};

/** A compressor stream; zlib's `flush(kind)` is how `res.flush()` pushes bytes out. */
export type CompressStream = Transform & { flush(kind: number, callback?: () => void): void };

/** One content coding: a one-step compressor, a stream factory and the flush kind to use. */
export interface Codec {
  encoding: Encoding;
  compress(body: Buffer | string): Buffer;
  createStream(): CompressStream;
  /** `Z_SYNC_FLUSH`, `BROTLI_OPERATION_FLUSH` or `ZSTD_e_flush`: emit all pending output. */
  flushKind: number;
}

/**
 * Brotli parameters for streams, whose length is unknown at the head and which may stay open
 * for hours (issue 19). A brotli encoder's memory is mostly its match finder's hash table,
 * chosen by quality: 2^17 4-byte buckets (512 KiB) at quality 4, 256 KiB at qualities 2, 3 and,
 * with a window of at most 64 KiB (`lgwin` 16), 5 to 9. So quality 4 streams at quality 3
 * (measured: 0.52x the memory of quality 4, 1.01x its bytes on a 200-event SSE stream) and
 * qualities 5-9 stream with `lgwin` 16; 0-3 and 10-11 are left as configured.
 */
function streamBrotliParams(c: typeof zlib.constants, quality: number): Record<number, number> {
  if (quality === 4) return { [c.BROTLI_PARAM_QUALITY]: 3 };
  if (quality >= 5 && quality <= 9) {
    return { [c.BROTLI_PARAM_QUALITY]: quality, [c.BROTLI_PARAM_LGWIN]: 16 };
  }
  return { [c.BROTLI_PARAM_QUALITY]: quality };
}

/** zstd's `ZSTD_e_flush` (zstd.h); read from `zlib.constants` when the runtime has it. */
const ZSTD_E_FLUSH = 1;

/** Whether this zlib can produce zstd (Node 20 cannot; Node >= 22.15 can). */
export function hasZstd(z: ZlibModule): boolean {
  return typeof z.createZstdCompress === 'function' && typeof z.zstdCompressSync === 'function';
}

/**
 * Builds the codecs for `config.encodings`, in preference order, dropping `zstd` silently
 * where the runtime lacks it (API.md). Option objects are built here, once, so the request
 * path allocates nothing for them.
 */
export function buildCodecs(z: ZlibModule, config: GzipConfig): Codec[] {
  const codecs: Codec[] = [];
  for (const encoding of config.encodings) {
    const codec = buildCodec(z, encoding, config);
    if (codec) codecs.push(codec);
  }
  return codecs;
}

function buildCodec(z: ZlibModule, encoding: Encoding, config: GzipConfig): Codec | undefined {
  const c = z.constants;
  switch (encoding) {
    case 'gzip': {
      // zlib writes the gzip header with MTIME 0 and OS 3, as Starlette 1.7 does (#3411).
      const opts = { level: config.compressLevel };
      const container = gzipContainer(z, config.compressLevel);
      return {
        encoding,
        compress: (body) => z.gzipSync(body, opts),
        // Streams hold no zlib state while idle (issue 19): see resumable.ts.
        createStream: () => new ResumableDeflate(z, container, opts),
        flushKind: c.Z_SYNC_FLUSH,
      };
    }
    case 'deflate': {
      // HTTP "deflate" is the zlib format (RFC 9110 section 8.4.1.2): deflateSync and zlibContainer.
      const opts = { level: config.compressLevel };
      const container = zlibContainer(config.compressLevel);
      return {
        encoding,
        compress: (body) => z.deflateSync(body, opts),
        createStream: () => new ResumableDeflate(z, container, opts),
        flushKind: c.Z_SYNC_FLUSH,
      };
    }
    case 'br': {
      const opts = { params: { [c.BROTLI_PARAM_QUALITY]: config.brotliQuality } };
      const streamOpts = { params: streamBrotliParams(c, config.brotliQuality) };
      return {
        encoding,
        compress: (body) => z.brotliCompressSync(body, opts),
        createStream: () => z.createBrotliCompress(streamOpts) as CompressStream,
        flushKind: c.BROTLI_OPERATION_FLUSH,
      };
    }
    case 'zstd': {
      const { createZstdCompress, zstdCompressSync } = z;
      if (!createZstdCompress || !zstdCompressSync || !hasZstd(z)) return undefined;
      // zstd's own default level (3): fast, and smaller than gzip -9 on typical JSON.
      const flushKind = (c as unknown as Record<string, number | undefined>).ZSTD_e_flush;
      return {
        encoding,
        compress: (body) => zstdCompressSync(typeof body === 'string' ? Buffer.from(body) : body),
        createStream: () => createZstdCompress() as CompressStream,
        flushKind: flushKind ?? ZSTD_E_FLUSH,
      };
    }
  }
}
