/** The stream path: backpressure, res.flush() for server-sent events, and write/end semantics. */
import zlib from 'node:zlib';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';
import {
  app,
  call,
  decode,
  listen,
  open,
  pumpHandler,
  randomBytes,
  sleep,
  stalled,
  timedEvents,
} from './support';
import type { Flushable, Pumped } from './support';

const CHUNK = randomBytes(64 * 1024);

describe('gzip(options)', () => {
  describe('when the client reads slowly', () => {
    it("res.write() returns false while compressed output waits on the socket, and 'drain' follows", async () => {
      const total = 32 * 1024 * 1024;
      const pumped: Pumped = { written: 0, falses: 0, drains: 0 };
      const running = await listen(
        app(
          gzip({ compressLevel: 1 }),
          pumpHandler(total, () => CHUNK, pumped),
        ),
      );
      try {
        const res = await open(running.port, { 'accept-encoding': 'gzip' });
        res.pause();
        // Nothing read: the writer must stop well before the end.
        const stalledAt = await stalled(() => pumped.written);
        expect(stalledAt).toBeLessThan(total / 2);
        expect(pumped.written).toBe(stalledAt);
        expect(pumped.falses).toBe(pumped.drains + 1);
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.resume();
        await new Promise((resolve) => res.on('end', resolve));
        expect(pumped.drains).toBe(pumped.falses);
        expect(zlib.gunzipSync(Buffer.concat(chunks)).length).toBe(total);
      } finally {
        await running.close();
      }
    });

    it('keeps the server-side buffer bounded while streaming 48 MiB to a slow reader', async () => {
      const total = 48 * 1024 * 1024;
      let written = 0;
      let received = 0;
      let maxInFlight = 0;
      let maxQueued = 0;
      const running = await listen(
        app(gzip({ compressLevel: 1 }), (_req, res) => {
          const pump = (): void => {
            while (written < total) {
              written += CHUNK.length;
              maxInFlight = Math.max(maxInFlight, written - received);
              maxQueued = Math.max(maxQueued, res.writableLength);
              if (!res.write(CHUNK)) {
                res.once('drain', pump);
                return;
              }
            }
            res.end();
          };
          pump();
        }),
      );
      const res = await open(running.port, { 'accept-encoding': 'gzip' });
      const gunzip = zlib.createGunzip();
      let decoded = 0;
      gunzip.on('data', (d: Buffer) => (decoded += d.length));
      // About 1 MiB per 20 ms: much slower than the server can produce.
      res.on('data', (d: Buffer) => {
        received += d.length;
        gunzip.write(d);
        if (received % (1024 * 1024) < d.length) {
          res.pause();
          setTimeout(() => res.resume(), 20);
        }
      });
      await new Promise((resolve) => res.on('end', resolve));
      await new Promise((resolve) => gunzip.end(resolve));
      await running.close();
      expect(decoded).toBe(total);
      // Written by the app but not yet read by the client: kernel socket buffers on loopback
      // (a few MiB) plus zlib's and Node's highWaterMarks. Without backpressure it would be
      // most of the 48 MiB.
      expect(maxInFlight).toBeLessThan(12 * 1024 * 1024);
      // Node's own outgoing queue on the response stays near its 16 KiB highWaterMark.
      expect(maxQueued).toBeLessThan(1024 * 1024);
    });
  });

  describe('server-sent events through res.flush()', () => {
    const CODECS: [string, GzipOptions, () => NodeJS.ReadWriteStream][] = [
      ['gzip', {}, () => zlib.createGunzip()],
      ['br', { encodings: ['br'] }, () => zlib.createBrotliDecompress()],
      ['deflate', { encodings: ['deflate'] }, () => zlib.createInflate()],
    ];

    it.each(CODECS)(
      'delivers each %s-compressed event before the next one is written',
      async (name, options, decoder) => {
        const sentAt: number[] = [];
        const running = await listen(
          app(gzip({ ...options, excludeContentTypes: [] }), timedEvents(sentAt)),
        );
        const res = await open(running.port, { 'accept-encoding': name });
        expect(res.headers['content-encoding']).toBe(name);
        const arrivedAt: number[] = [];
        let text = '';
        const stream = decoder();
        stream.on('data', (d: Buffer) => {
          text += d.toString();
          while (arrivedAt.length < (text.match(/\n\n/g) ?? []).length) arrivedAt.push(Date.now());
        });
        res.pipe(stream as NodeJS.WritableStream);
        await new Promise((resolve) => stream.on('end', resolve));
        await running.close();
        expect(arrivedAt).toHaveLength(5);
        arrivedAt.forEach((t, i) => {
          expect(t - sentAt[i]!).toBeLessThan(100);
          if (i < 4) expect(t).toBeLessThan(sentAt[i + 1]!);
        });
      },
    );

    it('leaves text/event-stream uncompressed by default, and res.flush() is harmless there', async () => {
      const res = await call(
        app(gzip(), (_req, r) => {
          r.setHeader('Content-Type', 'text/event-stream');
          r.write('data: 1\n\n');
          (r as Flushable).flush();
          r.end('data: 2\n\n');
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe('data: 1\n\ndata: 2\n\n');
    });

    it('res.flush() before any write and after a single-shot body does nothing harmful', async () => {
      const res = await call(
        app(gzip(), (_req, r) => {
          (r as Flushable).flush();
          r.end('f'.repeat(1000));
          (r as Flushable).flush();
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(decode(res).toString()).toBe('f'.repeat(1000));
    });
  });

  describe('res.write() and res.end() on the stream path', () => {
    it('calls the end callback and the write callbacks', async () => {
      const seen: string[] = [];
      await call(
        app(gzip(), (_req, r) => {
          r.write('a'.repeat(100), () => seen.push('write'));
          r.write('b'.repeat(100), 'utf8', () => seen.push('write utf8'));
          r.end(() => seen.push('end'));
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(seen).toEqual(['write', 'write utf8', 'end']);
    });

    it("reports a write after end as Node does: ERR_STREAM_WRITE_AFTER_END to the callback and as 'error'", async () => {
      const errors: unknown[] = [];
      let returned: boolean | undefined;
      const res = await call(
        app(gzip(), (_req, r) => {
          r.on('error', (err) => errors.push(err));
          r.write('a'.repeat(100));
          r.end();
          returned = r.write('late', (err) => errors.push(err));
          r.end();
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      await sleep(10);
      expect(returned).toBe(false);
      expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual([
        'ERR_STREAM_WRITE_AFTER_END',
        'ERR_STREAM_WRITE_AFTER_END',
      ]);
      expect(decode(res).toString()).toBe('a'.repeat(100));
    });

    it('honours the encoding argument of write and end', async () => {
      const res = await call(
        app(gzip(), (_req, r) => {
          r.write('68656c6c6f', 'hex');
          r.end(Buffer.from(' world'.repeat(100)).toString('base64'), 'base64');
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(decode(res).toString()).toBe(`hello${' world'.repeat(100)}`);
    });

    it('honours the encoding of a single-shot body', async () => {
      const body = 'é'.repeat(600);
      const res = await call(
        app(gzip(), (_req, r) => r.end(Buffer.from(body, 'latin1').toString('hex'), 'hex')),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(decode(res).toString('latin1')).toBe(body);
    });

    it('compresses once when mounted twice', async () => {
      const mw = gzip();
      const res = await call(
        app(
          (req, r, next) => mw(req, r, () => mw(req, r, next)),
          (_req, r) => r.end('t'.repeat(1000)),
        ),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(decode(res).toString()).toBe('t'.repeat(1000));
    });
  });
});
