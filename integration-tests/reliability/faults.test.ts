/**
 * Faults around compressed streams, each measured in a child process so that its uncaught
 * errors, handles and memory are its own:
 * - client aborts before the head, mid-body, before the end, during a pipe, and an app that
 *   destroys its response mid-stream, against @mw/gzip alone and inside stack(): every
 *   compressor is destroyed with its native handle released, no uncaught exception or unhandled
 *   rejection, no handle left open, and the server still answers a full request afterwards;
 * - backpressure: a reader that takes a 100 MiB compressed body slowly; the server's memory
 *   stays within a fixed bound because write() returns false and 'drain' follows.
 */
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createGunzip } from 'node:zlib';

const FIXTURES = path.join(__dirname, 'fixtures');
const MIB = 1024 * 1024;
/** The server-side bound: a few socket and zlib buffers, never the body (100 MiB). */
const MEMORY_BOUND = 48 * MIB;

interface AbortReport {
  results: Record<string, { created: number; retained: number } | boolean | string[]>;
  problems: string[];
}

describe('client aborts at every stage of a compressed stream (child process)', () => {
  let report: AbortReport;

  beforeAll(async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(FIXTURES, 'aborts.js')],
        { timeout: 30000 },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    report = JSON.parse(stdout) as AbortReport;
  }, 40000);

  it('records no uncaught exception, unhandled rejection or next(err)', () => {
    expect(report.problems).toEqual([]);
  });

  it.each(['gzip', 'stack'])('%s: retains no compressor after any abort', (config) => {
    for (const stage of ['mid-body', 'before-end', 'piped', 'app-error-mid-stream']) {
      const entry = report.results[`${config} ${stage}`] as { created: number; retained: number };
      expect({ stage, created: entry.created > 0, retained: entry.retained }).toEqual({
        stage,
        created: true,
        retained: 0,
      });
    }
    const early = report.results[`${config} before-headers`] as { retained: number };
    expect(early.retained).toBe(0);
  });

  it.each(['gzip', 'stack'])('%s: leaves no handle open and keeps serving', (config) => {
    expect(report.results[`${config} extra active resources`]).toEqual([]);
    expect(report.results[`${config} healthy after aborts`]).toBe(true);
  });
});

describe('a slow reader of a 100 MiB compressed body (child process server)', () => {
  it(`keeps the server's memory growth under ${MEMORY_BOUND / MIB} MiB`, async () => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', path.join(FIXTURES, 'backpressure-server.js')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    let buffered = '';
    const nextLine = (): Promise<string> =>
      new Promise((resolve) => {
        const poll = (): void => {
          const line = lines.shift();
          if (line !== undefined) resolve(line);
          else setTimeout(poll, 5);
        };
        poll();
      });
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        lines.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    const port = Number((await nextLine()).replace('PORT ', ''));

    let received = 0;
    let decoded = 0;
    await new Promise<void>((resolve, reject) => {
      http
        .get(
          { agent: false, port, host: '127.0.0.1', headers: { 'accept-encoding': 'gzip' } },
          (res) => {
            expect(res.headers['content-encoding']).toBe('gzip');
            const gunzip = createGunzip();
            gunzip.on('data', (d: Buffer) => (decoded += d.length));
            gunzip.on('end', resolve);
            gunzip.on('error', reject);
            let sincePause = 0;
            let first = true;
            res.on('data', (chunk: Buffer) => {
              received += chunk.length;
              sincePause += chunk.length;
              gunzip.write(chunk);
              // Slow: stall a whole second early on, then 50 ms after every 4 MiB.
              if (first || sincePause >= 4 * MIB) {
                res.pause();
                setTimeout(() => res.resume(), first ? 1000 : 50);
                first = false;
                sincePause = 0;
              }
            });
            res.on('end', () => gunzip.end());
          },
        )
        .on('error', reject);
    });
    const stats = JSON.parse(await nextLine()) as {
      finished: boolean;
      falseWrites: number;
      growth: { rss: number; heapUsed: number; external: number };
      ms: number;
    };
    child.kill();

    expect(decoded).toBe(100 * MIB);
    expect(received).toBeGreaterThan(100 * MIB); // random bytes: gzip cannot shrink them
    expect(stats.finished).toBe(true);
    expect(stats.falseWrites).toBeGreaterThan(0); // backpressure reached the app
    expect(stats.growth.rss).toBeLessThan(MEMORY_BOUND);
    expect(stats.growth.heapUsed + stats.growth.external).toBeLessThan(MEMORY_BOUND);
  }, 30000);
});
