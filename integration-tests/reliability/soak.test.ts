/**
 * The short version of `npm run soak` (which runs the same code for about 60 s): a few seconds
 * of mixed traffic through the full stack() in a child process (so its memory is its own), with
 * every response checked, zero errors or timeouts, and memory after GC within the bounds stated
 * in soak.js (heap +16 MiB, RSS +96 MiB).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

interface Summary {
  ok: boolean;
  requests: number;
  counts: Record<string, number>;
  errorCount: number;
  errors: string[];
  memory: { ok: boolean; growth: { heapUsed: number; rss: number } };
}

describe('a 4-second soak of the full stack() with 16 clients', () => {
  let summary: Summary;

  beforeAll(async () => {
    const script = path.join(__dirname, 'soak.js');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--expose-gc', script, '--duration=4000', '--concurrency=16', '--json'],
        { timeout: 30000 },
        // A failed soak exits 1 but still prints its summary, which the tests below explain.
        (err, out) => (out ? resolve(out) : reject(err ?? new Error('no output'))),
      ),
    );
    summary = JSON.parse(stdout) as Summary;
  }, 40000);

  it('answers every request as expected, with no error or timeout', () => {
    expect(summary.errors).toEqual([]);
    expect(summary.errorCount).toBe(0);
  });

  it('sends every kind of traffic many times', () => {
    for (const [kind, count] of Object.entries(summary.counts)) {
      expect({ kind, many: count >= 50 }).toEqual({ kind, many: true });
    }
    expect(Object.keys(summary.counts)).toHaveLength(10);
  });

  it('ends with memory within the bounds of the start', () => {
    expect(summary.memory.ok).toBe(true);
    expect(summary.ok).toBe(true);
  });
});
