import type * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import type { Encoding, GzipConfig } from './options';

/**
 * The parts of `node:zlib` the middleware uses. Passing the module in (instead of importing
 * it here) lets tests exercise both sides of the zstd feature test and inject failing
 * compressors.
 */
export type ZlibModule = Pick<
  typeof zlib,
  | 'constants'
  | 'gzipSync'
  | 'createGzip'
  | 'deflateSync'
  | 'createDeflate'
  | 'brotliCompressSync'
  | 'createBrotliCompress'
> & {
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
      return {
        encoding,
        compress: (body) => z.gzipSync(body, opts),
        createStream: () => z.createGzip(opts) as CompressStream,
        flushKind: c.Z_SYNC_FLUSH,
      };
    }
    case 'deflate': {
      // HTTP "deflate" is the zlib format (RFC 9110 section 8.4.1.2), which createDeflate writes.
      const opts = { level: config.compressLevel };
      return {
        encoding,
        compress: (body) => z.deflateSync(body, opts),
        createStream: () => z.createDeflate(opts) as CompressStream,
        flushKind: c.Z_SYNC_FLUSH,
      };
    }
    case 'br': {
      const opts = { params: { [c.BROTLI_PARAM_QUALITY]: config.brotliQuality } };
      return {
        encoding,
        compress: (body) => z.brotliCompressSync(body, opts),
        createStream: () => z.createBrotliCompress(opts) as CompressStream,
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
