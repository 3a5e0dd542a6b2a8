/**
 * zstd is used only where the runtime's zlib has it (Node >= 22.15), skipped silently
 * elsewhere (Node 20). The zlib module is injected through the internal `createGzip` seam so
 * both paths run on every Node version.
 */
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { createGzip } from '../src/gzip';
import { hasZstd } from '../src/codecs';
import type { ZlibModule } from '../src/codecs';
import { app, call, decode } from './support';

const BODY = 'z'.repeat(3000);
const ZSTD_FIRST = { encodings: ['zstd', 'gzip'] as const };

function baseModule(): ZlibModule {
  return {
    constants: zlib.constants,
    gzipSync: zlib.gzipSync,
    deflateSync: zlib.deflateSync,
    deflateRawSync: zlib.deflateRawSync,
    createDeflateRaw: zlib.createDeflateRaw,
    brotliCompressSync: zlib.brotliCompressSync,
    createBrotliCompress: zlib.createBrotliCompress,
  };
}

/** A stand-in zstd: marked gzip output, so the test can tell which compressor ran. */
function withFakeZstd(): ZlibModule & { calls: string[] } {
  const calls: string[] = [];
  return {
    ...baseModule(),
    calls,
    zstdCompressSync: (buffer: Buffer) => {
      calls.push('sync');
      return zlib.gzipSync(buffer);
    },
    createZstdCompress: (): Transform => {
      calls.push('stream');
      return zlib.createGzip();
    },
  };
}

describe('gzip(options)', () => {
  describe('when the runtime has zstd', () => {
    it('detects it', () => {
      expect(hasZstd(withFakeZstd())).toBe(true);
    });

    it('answers "Accept-Encoding: zstd, gzip" with zstd, in one step for a single-shot body', async () => {
      const z = withFakeZstd();
      const res = await call(
        app(createGzip(ZSTD_FIRST, z), (_q, r) => r.end(BODY)),
        {
          headers: { 'accept-encoding': 'gzip, zstd' },
        },
      );
      expect(res.headers['content-encoding']).toBe('zstd');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(z.calls).toEqual(['sync']);
      expect(zlib.gunzipSync(res.body).toString()).toBe(BODY);
    });

    it('uses the zstd stream for a streamed body', async () => {
      const z = withFakeZstd();
      const handler = app(createGzip(ZSTD_FIRST, z), (_q, r) => {
        r.write(BODY);
        r.end(BODY);
      });
      const res = await call(handler, { headers: { 'accept-encoding': 'zstd' } });
      expect(res.headers['content-encoding']).toBe('zstd');
      expect(z.calls).toEqual(['stream']);
      expect(zlib.gunzipSync(res.body).toString()).toBe(BODY + BODY);
    });
  });

  describe('when the runtime lacks zstd (Node 20)', () => {
    it('detects its absence', () => {
      expect(hasZstd(baseModule())).toBe(false);
    });

    it('skips zstd silently at construction', () => {
      expect(() => createGzip(ZSTD_FIRST, baseModule())).not.toThrow();
    });

    it.each([
      ['zstd, gzip', 'gzip'],
      ['zstd', undefined],
    ])('answers %j with %j and still varies', async (accept, expected) => {
      const res = await call(
        app(createGzip(ZSTD_FIRST, baseModule()), (_q, r) => r.end(BODY)),
        {
          headers: { 'accept-encoding': accept },
        },
      );
      expect(res.headers['content-encoding']).toBe(expected);
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(decode(res).toString()).toBe(BODY);
    });
  });

  describe('with the real node:zlib of this runtime', () => {
    const real = zlib as unknown as ZlibModule;
    it(`uses zstd exactly when zlib has it (here: ${String(hasZstd(real))})`, async () => {
      const res = await call(
        app(createGzip(ZSTD_FIRST, real), (_q, r) => r.end(BODY)),
        {
          headers: { 'accept-encoding': 'zstd, gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBe(hasZstd(real) ? 'zstd' : 'gzip');
      expect(decode(res).toString()).toBe(BODY);
    });
  });
});
