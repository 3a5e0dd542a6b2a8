/**
 * Client aborts release the compressor at once; compressor errors reach the response, never
 * the process. The zlib module is injected through the internal `createGzip` seam, so the
 * test can count the compressors it creates and make one fail.
 */
import http from 'node:http';
import vm from 'node:vm';
import v8 from 'node:v8';
import zlib from 'node:zlib';
import { Transform } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { createGzip } from '../src/gzip';
import type { ZlibModule } from '../src/codecs';
import { abortingClients, app, call, endlessFlushed, listen, sampleBytes, sleep } from './support';

/**
 * node:zlib with a createDeflateRaw that records every zlib stream it makes. A streamed gzip
 * response holds a zlib stream only while a burst (more than 16 KiB unflushed) is compressed on
 * the thread pool; smaller flushed writes hold none (issue 19).
 */
function countingZlib(): {
  z: ZlibModule;
  created: WeakRef<zlib.DeflateRaw>[];
  live: Set<zlib.DeflateRaw>;
} {
  const created: WeakRef<zlib.DeflateRaw>[] = [];
  const live = new Set<zlib.DeflateRaw>();
  const z: ZlibModule = {
    ...(zlib as unknown as ZlibModule),
    createDeflateRaw: (options?: zlib.ZlibOptions) => {
      const stream = zlib.createDeflateRaw(options);
      created.push(new WeakRef(stream));
      live.add(stream);
      stream.once('close', () => live.delete(stream));
      return stream;
    },
  };
  return { z, created, live };
}

/** V8's `gc()`, exposed at run time (jest cannot pass --expose-gc to its workers). */
function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('gzip(options)', () => {
  describe('when 1,000 clients abort compressed streamed responses', () => {
    it('destroys every compressor at once and retains none', async () => {
      const { z, created, live } = countingZlib();
      // Past the 16 KiB burst size, so every write goes through a zlib stream.
      const chunk = sampleBytes(32 * 1024);
      const closed: ServerResponse[] = [];
      // An endless stream: only the client's abort ends it.
      const running = await listen(
        app(
          createGzip({}, z),
          endlessFlushed(chunk, (res) => closed.push(res)),
        ),
      );
      await abortingClients(running.port, { 'accept-encoding': 'gzip' }, 20);
      for (let i = 0; i < 100 && closed.length < 1000; i++) await sleep(10);
      await sleep(20);
      expect(closed).toHaveLength(1000);
      // At least one per response (a new one after each flush).
      expect(created.length).toBeGreaterThanOrEqual(1000);
      // Every compressor was destroyed (its native zlib handle closed) when its client left.
      expect(live.size).toBe(0);
      await running.close();
      closed.length = 0;

      const gc = collectGarbage();
      for (let i = 0; i < 5; i++) {
        gc();
        await sleep(10);
      }
      // Nothing holds on to them either: the garbage collector reclaimed them.
      expect(created.filter((ref) => ref.deref() !== undefined).length).toBeLessThan(
        10 + created.length / 100,
      );
    });
  });

  describe('when the compressor fails', () => {
    it('cuts the response short and keeps the process alive', async () => {
      const failing: ZlibModule = {
        ...(zlib as unknown as ZlibModule),
        createDeflateRaw: () =>
          new Transform({
            transform(_chunk, _enc, done) {
              done(new Error('zlib exploded'));
            },
          }) as unknown as zlib.DeflateRaw,
        deflateRawSync: () => {
          throw new Error('zlib exploded');
        },
      };
      let closedUnfinished: boolean | undefined;
      const running = await listen(
        app(createGzip({}, failing), (_req, res) => {
          res.once('close', () => (closedUnfinished = !res.writableFinished));
          res.write('x'.repeat(1000));
          setTimeout(() => res.end('y'), 50);
        }),
      );
      const outcome = await new Promise<string>((resolve) => {
        http
          .get(
            { host: '127.0.0.1', port: running.port, headers: { 'accept-encoding': 'gzip' } },
            (res) => {
              res.on('error', () => resolve('error'));
              res.on('aborted', () => resolve('aborted'));
              res.on('end', () => resolve(res.complete ? 'complete' : 'incomplete'));
              res.resume();
            },
          )
          .on('error', () => resolve('error'));
      });
      await sleep(80);
      await running.close();
      expect(outcome).not.toBe('complete');
      expect(closedUnfinished).toBe(true);
    });

    it('sends the error page uncompressed when one-step compression throws', async () => {
      const throwing: ZlibModule = {
        ...(zlib as unknown as ZlibModule),
        gzipSync: () => {
          throw new Error('no memory');
        },
      };
      const res = await call(
        app(createGzip({}, throwing), (_req, r) => {
          try {
            r.end('b'.repeat(1000));
          } catch (err) {
            r.statusCode = 500;
            r.end(`error: ${(err as Error).message}`);
          }
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.status).toBe(500);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe('error: no memory');
    });
  });
});
