/**
 * The resumable compressor (issue 19): whatever the writes, flushes and idle gaps, the output is
 * one valid gzip member (or zlib stream) that node:zlib decodes to exactly the input, and no zlib
 * state is held between a flush and the next write.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { adler32, crc32Table } from '../src/checksum';
import { BULK, ResumableDeflate, WINDOW, gzipContainer, zlibContainer } from '../src/resumable';
import type { RawDeflateModule } from '../src/resumable';

type Step = { kind: 'write'; size: number; seed: number } | { kind: 'flush' } | { kind: 'idle' };

/** Text with repetition in it, as events are: words from a small vocabulary plus numbers. */
function text(size: number, seed: number): Buffer {
  const words = ['"id":', '"price":', 'quote', 'trade', 'ACME', '{', '}', ',', ' '];
  let s = '';
  let x = seed;
  while (s.length < size) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += x % 3 === 0 ? String(x % 1000) : words[x % words.length];
  }
  return Buffer.from(s.slice(0, size));
}

/** node:zlib that counts the raw deflate streams alive. */
function counting(): RawDeflateModule & { live: Set<zlib.DeflateRaw> } {
  const live = new Set<zlib.DeflateRaw>();
  return {
    constants: zlib.constants,
    deflateRawSync: zlib.deflateRawSync,
    crc32: (zlib as unknown as RawDeflateModule).crc32,
    createDeflateRaw: (options?: zlib.ZlibOptions) => {
      const stream = zlib.createDeflateRaw(options);
      live.add(stream);
      stream.once('close', () => live.delete(stream));
      return stream;
    },
    live,
  };
}

async function run(format: 'gzip' | 'deflate', steps: Step[], level = 9) {
  const z = counting();
  const container = format === 'gzip' ? gzipContainer(z, level) : zlibContainer(level);
  const stream = new ResumableDeflate(z, container, { level });
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const input: Buffer[] = [];
  let heldAfterFlush = 0;
  for (const step of steps) {
    if (step.kind === 'write') {
      const data = text(step.size, step.seed);
      input.push(data);
      stream.write(data);
    } else if (step.kind === 'flush') {
      await new Promise<void>((resolve) => stream.flush(zlib.constants.Z_SYNC_FLUSH, resolve));
      heldAfterFlush += z.live.size;
      // Everything written so far is decodable now (what a flush promises).
      const sofar = Buffer.concat(out);
      const decoded =
        format === 'gzip'
          ? zlib.gunzipSync(sofar, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
          : zlib.inflateSync(sofar, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      expect(decoded.equals(Buffer.concat(input))).toBe(true);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  await new Promise<void>((resolve) => stream.end(resolve));
  const body = Buffer.concat(out);
  const decoded = format === 'gzip' ? zlib.gunzipSync(body) : zlib.inflateSync(body);
  return { body, decoded, expected: Buffer.concat(input), heldAfterFlush, live: z.live.size };
}

const step = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    size: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 3 * BULK })),
    seed: fc.nat(),
  }),
  fc.constant({ kind: 'flush' as const }),
  fc.constant({ kind: 'idle' as const }),
);

describe('ResumableDeflate', () => {
  describe.each(['gzip', 'deflate'] as const)('with the %s container', (format) => {
    it('decodes to exactly the input for any writes, flushes and idle gaps', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { maxLength: 25 }),
          fc.integer({ min: 1, max: 9 }),
          async (steps, level) => {
            const r = await run(format, steps, level);
            expect(r.decoded.equals(r.expected)).toBe(true);
            expect(r.heldAfterFlush).toBe(0);
            expect(r.live).toBe(0);
          },
        ),
        { numRuns: 60 },
      );
    });

    it('continues the deflate history across flushes (events compress against earlier ones)', async () => {
      const steps: Step[] = [];
      for (let i = 0; i < 50; i++)
        steps.push({ kind: 'write', size: 250, seed: i % 5 }, { kind: 'flush' });
      const resumed = await run(format, steps);
      const separate = steps
        .filter((s): s is Extract<Step, { kind: 'write' }> => s.kind === 'write')
        .reduce((n, s) => n + zlib.deflateRawSync(text(s.size, s.seed)).length, 0);
      expect(resumed.decoded.equals(resumed.expected)).toBe(true);
      expect(resumed.body.length).toBeLessThan(separate / 3);
    });

    it('decodes a flushed run whose output outgrows the buffer sized for it (random bytes)', async () => {
      const z = counting();
      const container = format === 'gzip' ? gzipContainer(z, 6) : zlibContainer(6);
      const stream = new ResumableDeflate(z, container, { level: 6 });
      const out: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => out.push(chunk));
      const noise = crypto.randomBytes(BULK - 1); // synchronous run: output > input / 2
      stream.write(noise);
      await new Promise<void>((resolve) => stream.flush(undefined, resolve));
      await new Promise<void>((resolve) => stream.end(resolve));
      const body = Buffer.concat(out);
      const decoded = format === 'gzip' ? zlib.gunzipSync(body) : zlib.inflateSync(body);
      expect(decoded.equals(noise)).toBe(true);
      expect(z.live.size).toBe(0);
    });

    it('writes an empty but valid stream when nothing was written', async () => {
      const r = await run(format, []);
      expect(r.decoded.length).toBe(0);
    });
  });

  it('holds at most WINDOW bytes of history and no zlib stream while idle', async () => {
    const z = counting();
    const stream = new ResumableDeflate(z, gzipContainer(z, 9), { level: 9 });
    stream.resume();
    let total = 0;
    for (const size of [250, 3 * BULK, 250]) {
      stream.write(text(size, size));
      await new Promise<void>((resolve) => stream.flush(0, resolve));
      const held = stream as unknown as { window: Buffer; windowLength: number };
      expect(held.window.length).toBe(WINDOW);
      total += size;
      expect(held.windowLength).toBe(Math.min(WINDOW, total));
      expect(z.live.size).toBe(0);
    }
    stream.destroy();
  });
});

describe('checksums', () => {
  it.each([0, 1, 100, 70000])('crc32Table matches zlib.crc32 on %i bytes', (size) => {
    const data = text(size, size);
    const native = (zlib as unknown as { crc32(d: Uint8Array, v?: number): number }).crc32;
    expect(crc32Table(data, 0)).toBe(native(data, 0));
    expect(crc32Table(data.subarray(size >> 1), crc32Table(data.subarray(0, size >> 1), 0))).toBe(
      native(data, 0),
    );
  });

  it.each([0, 1, 100, 70000])('adler32 matches the zlib trailer on %i bytes', (size) => {
    const data = text(size, size + 1);
    const deflated = zlib.deflateSync(data);
    expect(adler32(data, 1)).toBe(deflated.readUInt32BE(deflated.length - 4));
  });
});
