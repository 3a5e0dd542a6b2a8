import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type * as zlib from 'node:zlib';
import { adler32, pickCrc32 } from './checksum';
import type { Checksum } from './checksum';

/**
 * A gzip or zlib ("deflate") compressor for streamed responses that holds no zlib state while
 * the stream is idle (issue 19). A zlib stream costs about 210 KiB of native memory per open
 * response whatever flows through it, and Node's zlib keeps a 64 KiB hash table even at the
 * smallest `windowBits`/`memLevel`, so ten thousand server-sent-event clients cost 2 GiB.
 *
 * Instead, this keeps one deflate stream going by hand (the way pigz compresses blocks in
 * parallel): every flush ends a run of raw deflate blocks on a byte boundary (`Z_SYNC_FLUSH`,
 * no final block), and the next run starts a fresh raw deflate primed with the last
 * {@link WINDOW} bytes of text already sent (`deflateSetDictionary`, zlib's `dictionary`
 * option), so its back-references stay within what the client has decoded. The runs
 * concatenate into one valid deflate stream; the gzip (RFC 1952) or zlib (RFC 1950) header and
 * trailer, with their CRC-32 / Adler-32 and length, are written here. While idle a stream holds
 * only that window and a few counters.
 *
 * Small writes (an event, a JSON line) wait in `pending` until the flush compresses them in one
 * synchronous call; a burst past {@link BULK} bytes without a flush goes through a raw deflate
 * stream on the thread pool, as a plain zlib stream would, released again at the next flush.
 */

/** Bytes of sent text kept to prime the next run: 8 KiB measured 1.04x the bytes of 32 KiB. */
export const WINDOW = 8 * 1024;
/** Unflushed bytes past which compression moves to a zlib stream on the thread pool. */
export const BULK = 16 * 1024;

/** The parts of `node:zlib` the resumable compressor uses. */
export type RawDeflateModule = Pick<
  typeof zlib,
  'constants' | 'deflateRawSync' | 'createDeflateRaw'
> & {
  crc32?: (data: Uint8Array, value?: number) => number;
};

/** The container around the raw deflate data: header, running check, trailer. */
export interface Container {
  header: Buffer;
  initial: number;
  check: Checksum;
  trailer(check: number, length: number): Buffer;
}

/** gzip (RFC 1952): MTIME 0 and OS 3 (Unix), as zlib writes them; XFL as zlib sets it. */
export function gzipContainer(z: RawDeflateModule, level: number): Container {
  const xfl = level === 9 ? 2 : level === 1 ? 4 : 0;
  return {
    header: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]),
    initial: 0,
    check: pickCrc32(z.crc32),
    trailer(check, length) {
      const out = Buffer.allocUnsafe(8);
      out.writeUInt32LE(check, 0);
      out.writeUInt32LE(length, 4);
      return out;
    },
  };
}

/** zlib (RFC 1950), HTTP's `deflate`: CMF 0x78 (32 KiB window), FLEVEL as zlib sets it. */
export function zlibContainer(level: number): Container {
  const flevel = level < 2 ? 0 : level < 6 ? 1 : level === 6 ? 2 : 3;
  let header = (0x78 << 8) | (flevel << 6);
  header += 31 - (header % 31);
  return {
    header: Buffer.from([header >>> 8, header & 0xff]),
    initial: 1,
    check: adler32,
    trailer(check) {
      const out = Buffer.allocUnsafe(4);
      out.writeUInt32BE(check, 0);
      return out;
    },
  };
}

/** Written through the stream by `flush()`, so the flush happens in order with the writes. */
const FLUSH = Buffer.alloc(0);
const EMPTY = Buffer.alloc(0);

/** See the module comment. `flush(kind, cb)` matches a zlib stream's, so callers treat both alike. */
export class ResumableDeflate extends Transform {
  private window: Buffer = EMPTY;
  private windowLength = 0;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private inner: zlib.DeflateRaw | undefined = undefined;
  private check: number;
  private length = 0;
  private started = false;

  constructor(
    private readonly z: RawDeflateModule,
    private readonly container: Container,
    private readonly options: { level: number },
  ) {
    super();
    this.check = container.initial;
  }

  /** Pushes out everything written so far, ending on a byte boundary (`Z_SYNC_FLUSH`). */
  flush(_kind?: number, callback?: () => void): void {
    if (this.writableEnded) {
      if (callback) process.nextTick(callback);
      return;
    }
    this.write(FLUSH, callback);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk === FLUSH) return this.flushRun(done);
    this.check = this.container.check(chunk, this.check);
    this.length = (this.length + chunk.length) >>> 0; // ISIZE is the length modulo 2^32
    if (this.inner === undefined) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength < BULK) return done();
      this.inner = this.openRun();
      chunk = this.takePending();
    }
    this.remember(chunk);
    this.inner.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    const finish = (): void => {
      this.out(this.container.trailer(this.check, this.length));
      done();
    };
    const inner = this.inner;
    if (inner !== undefined) {
      inner.once('end', finish);
      inner.end();
      return;
    }
    // The last run ends the deflate stream (Z_FINISH writes the final block). On the next tick,
    // as a zlib stream would, so `res.end()` returns before the body goes out (a second
    // `res.end(cb)` then behaves as on Node's own response).
    process.nextTick(() => {
      if (this.destroyed) return;
      const data = this.takePending();
      try {
        this.out(
          this.z.deflateRawSync(data, this.runOptions(this.z.constants.Z_FINISH, data.length)),
        );
      } catch (err) {
        return done(err as Error);
      }
      finish();
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    this.inner = undefined;
    this.window = EMPTY;
    this.windowLength = 0;
    this.pending = [];
    callback(err);
  }

  /** Pushes compressed output, the container's header first. */
  private out(data: Buffer): void {
    if (!this.started) {
      this.started = true;
      this.push(this.container.header);
    }
    this.push(data);
  }

  /** Ends the current run on a byte boundary and lets go of every zlib state. */
  private flushRun(done: TransformCallback): void {
    const inner = this.inner;
    if (inner !== undefined) {
      inner.flush(this.z.constants.Z_SYNC_FLUSH, () => {
        let rest: Buffer | null;
        while ((rest = inner.read() as Buffer | null) !== null) this.out(rest);
        inner.removeAllListeners('data');
        inner.destroy();
        this.inner = undefined;
        done();
      });
      return;
    }
    if (this.pendingLength === 0) return done();
    const data = this.takePending();
    let out: Buffer;
    try {
      out = this.z.deflateRawSync(
        data,
        this.runOptions(this.z.constants.Z_SYNC_FLUSH, data.length),
      );
    } catch (err) {
      return done(err as Error);
    }
    this.remember(data);
    this.out(out);
    done();
  }

  /** A raw deflate stream on the thread pool for a burst, primed like a synchronous run. */
  private openRun(): zlib.DeflateRaw {
    const inner = this.z.createDeflateRaw(this.runOptions(this.z.constants.Z_FINISH));
    inner.on('data', (out: Buffer) => this.out(out));
    inner.on('error', (err: Error) => this.destroy(err));
    return inner;
  }

  /**
   * Options of one run. A synchronous run (an event or two, `input` bytes) uses a 16 KiB window
   * and memLevel 6: zlib then allocates 96 KiB instead of 256 KiB per call, which measured 3x
   * less CPU per event and less heap churn, for the same bytes (the dictionary is 8 KiB). Its
   * output buffer is sized to the input: Node's default is a fresh 16 KiB buffer per call for
   * an event that compresses to a few hundred bytes, garbage that Node 24 keeps until a major
   * GC (measured at 2,000 streams on Node 24: 25.0 KiB per stream after one event with the
   * default, 16.3 with this; Node 20: 14.1 and 13.6). A burst keeps zlib's
   * defaults.
   */
  private runOptions(finishFlush: number, input?: number): zlib.ZlibOptions {
    const { level } = this.options;
    const sizes =
      input === undefined ? undefined : { windowBits: 14, memLevel: 6, chunkSize: outSize(input) };
    return this.windowLength > 0
      ? { level, finishFlush, ...sizes, dictionary: this.window.subarray(0, this.windowLength) }
      : { level, finishFlush, ...sizes };
  }

  private takePending(): Buffer {
    const data =
      this.pending.length === 1
        ? this.pending[0]!
        : Buffer.concat(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    return data;
  }

  /**
   * Keeps the last {@link WINDOW} bytes of sent text, copied (the caller may reuse its buffers)
   * into one buffer allocated once per stream: a fresh allocation per event would interleave
   * with zlib's short-lived ones and fragment the heap (measured: 49 KiB per stream after 20
   * events instead of about 14).
   */
  private remember(data: Buffer): void {
    if (this.window.length === 0) this.window = Buffer.allocUnsafeSlow(WINDOW);
    const take = Math.min(data.length, WINDOW);
    const keep = Math.min(this.windowLength, WINDOW - take);
    this.window.copyWithin(0, this.windowLength - keep, this.windowLength);
    data.copy(this.window, keep, data.length - take);
    this.windowLength = keep + take;
  }
}

/**
 * The output buffer for a synchronous run of `input` bytes: half the input rounded up to a power
 * of two, 1 KiB to 16 KiB. Output that outgrows it just takes a second buffer.
 */
function outSize(input: number): number {
  return Math.min(16 * 1024, Math.max(1024, 2 ** Math.ceil(Math.log2(input / 2 + 1))));
}
