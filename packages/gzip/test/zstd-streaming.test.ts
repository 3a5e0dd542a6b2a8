/**
 * The stream path with the real zstd of this runtime (issue 16): streamed bodies, `res.flush()`,
 * backpressure and client aborts, with `encodings: ['zstd', 'gzip']` and a client that prefers
 * zstd. Where `node:zlib` has zstd (Node >= 22.15) every test runs on the real codec; where it
 * has not (Node 20), the same tests check the fallback: gzip, with nothing else changed.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { createGzip } from '../src/gzip';
import { hasZstd } from '../src/codecs';
import type { ZlibModule } from '../src/codecs';
import {
  abortingClients,
  app,
  call,
  decode,
  endlessFlushed,
  listen,
  open,
  pumpHandler,
  sampleBytes,
  sleep,
  stalled,
  timedEvents,
} from './support';
import type { Pumped } from './support';

type Zstd = {
  createZstdCompress(): Transform;
  createZstdDecompress(): Transform;
};

const real = zlib as unknown as ZlibModule;
const HAS_ZSTD = hasZstd(real);
/** What a client preferring zstd gets on this runtime. */
const EXPECTED = HAS_ZSTD ? 'zstd' : 'gzip';
const OPTIONS = { encodings: ['zstd', 'gzip'] as const };
const ACCEPT = { 'accept-encoding': 'zstd, gzip;q=0.5' };

function decoder(): Transform {
  return HAS_ZSTD ? (zlib as unknown as Zstd).createZstdDecompress() : zlib.createGunzip();
}

/** The real zlib, with the factory of the expected codec counting the compressors it makes. */
function counting(): { z: ZlibModule; created: number; live: Set<Transform> } {
  const state = { z: real, created: 0, live: new Set<Transform>() };
  const track = (stream: Transform): Transform => {
    state.created++;
    state.live.add(stream);
    stream.once('close', () => state.live.delete(stream));
    return stream;
  };
  state.z = HAS_ZSTD
    ? { ...real, createZstdCompress: () => track((zlib as unknown as Zstd).createZstdCompress()) }
    : // Streamed gzip holds a raw deflate stream only for bursts past 16 KiB (issue 19).
      {
        ...real,
        createDeflateRaw: (o?: zlib.ZlibOptions) =>
          track(zlib.createDeflateRaw(o)) as zlib.DeflateRaw,
      };
  return state;
}

describe(`gzip(options) with encodings ['zstd', 'gzip'] on Node ${process.versions.node}`, () => {
  it(`detects zstd in node:zlib exactly when the runtime has it (here: ${HAS_ZSTD})`, () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(HAS_ZSTD).toBe(major > 22 || (major === 22 && minor >= 15));
  });

  it(`compresses a streamed body with ${EXPECTED}`, async () => {
    const parts = Array.from({ length: 20 }, (_, i) => sampleBytes(10_000, i + 1));
    const res = await call(
      app(createGzip(OPTIONS, real), (_q, r) => {
        for (const part of parts) r.write(part);
        r.end();
      }),
      { headers: ACCEPT },
    );
    expect(res.headers['content-encoding']).toBe(EXPECTED);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(decode(res).equals(Buffer.concat(parts))).toBe(true);
  });

  it(`delivers each ${EXPECTED}-compressed event flushed by res.flush() before the next one is written`, async () => {
    const sentAt: number[] = [];
    const running = await listen(
      app(createGzip({ ...OPTIONS, excludeContentTypes: [] }, real), timedEvents(sentAt)),
    );
    const res = await open(running.port, ACCEPT);
    expect(res.headers['content-encoding']).toBe(EXPECTED);
    const arrivedAt: number[] = [];
    let text = '';
    const stream = decoder();
    stream.on('data', (d: Buffer) => {
      text += d.toString();
      while (arrivedAt.length < (text.match(/\n\n/g) ?? []).length) arrivedAt.push(Date.now());
    });
    res.pipe(stream);
    await new Promise((resolve) => stream.on('end', resolve));
    await running.close();
    expect(arrivedAt).toHaveLength(5);
    arrivedAt.forEach((t, i) => {
      expect(t - sentAt[i]!).toBeLessThan(100);
      if (i < 4) expect(t).toBeLessThan(sentAt[i + 1]!);
    });
  });

  it(`holds the writer back while ${EXPECTED} output waits on a paused client, then drains`, async () => {
    // A fresh random chunk per write: zstd's window (MiBs, not gzip's 32 KiB) would find a
    // repeated chunk and shrink the whole body to almost nothing.
    const total = 32 * 1024 * 1024;
    const pumped: Pumped = { written: 0, falses: 0, drains: 0 };
    const running = await listen(
      app(
        createGzip(OPTIONS, real),
        pumpHandler(total, () => crypto.randomBytes(64 * 1024), pumped),
      ),
    );
    try {
      const res = await open(running.port, ACCEPT);
      expect(res.headers['content-encoding']).toBe(EXPECTED);
      res.pause();
      const stalledAt = await stalled(() => pumped.written);
      expect(pumped.written).toBe(stalledAt);
      expect(stalledAt).toBeLessThan(total / 2);
      let decoded = 0;
      const stream = decoder();
      stream.on('data', (d: Buffer) => (decoded += d.length));
      res.pipe(stream);
      await new Promise((resolve) => stream.on('end', resolve));
      expect(pumped.drains).toBe(pumped.falses);
      expect(pumped.falses).toBeGreaterThan(0);
      expect(decoded).toBe(total);
    } finally {
      await running.close();
    }
  });

  it(`destroys every ${EXPECTED} compressor at once when 200 clients abort`, async () => {
    const counted = counting();
    // Past gzip's 16 KiB burst size, so every gzip write goes through a zlib stream too.
    const chunk = sampleBytes(32 * 1024);
    let closed = 0;
    const running = await listen(
      app(
        createGzip(OPTIONS, counted.z),
        endlessFlushed(chunk, () => closed++),
      ),
    );
    await abortingClients(running.port, ACCEPT, 4, (res) => {
      expect(res.headers['content-encoding']).toBe(EXPECTED);
    });
    for (let i = 0; i < 100 && closed < 200; i++) await sleep(10);
    await sleep(20);
    await running.close();
    expect(closed).toBe(200);
    // zstd: one per response; gzip: a new raw deflate stream after each flush.
    if (HAS_ZSTD) expect(counted.created).toBe(200);
    else expect(counted.created).toBeGreaterThanOrEqual(200);
    expect(counted.live.size).toBe(0);
  });
});
