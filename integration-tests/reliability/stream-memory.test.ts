/**
 * Memory per open compressed stream (issue 19), bounded so it cannot regress: the `streams`
 * benchmark's own server and client processes (benchmarks/lib/stream-server.mjs and
 * stream-client.mjs), at 800 streams instead of 2,000, so it stays cheap (about 30 s). Each
 * stream gets 10 flushed ~250-byte events, 20 ms apart; memory is the server's RSS after three
 * full GCs, minus its RSS before the streams, per stream, minus the uncompressed side's figure.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

const LIB = path.join(__dirname, '..', '..', 'benchmarks', 'lib');
const STREAMS = 800;
const EVENTS = 10;
/**
 * The bound the gzip README states for a gzip stream. Measured here: 8 KiB of window and about
 * 2 KiB of JavaScript objects per stream (heapUsed + external); RSS moves by +-20 KiB per stream
 * between runs at this size (malloc and V8 page effects), `compression` holds about 220 KiB.
 * Node 20 measures 14-32 KiB; Node 24 measured 52-74 KiB in five runs (the garbage of each
 * flush's zlib call, which Node 24 keeps until a major GC, and V8's young generation grown to
 * its maximum; the live state after events is about 13 KiB per stream), so the bound leaves
 * room for that, not for a compressor held per stream (about 220 KiB).
 */
const GZIP_BOUND_KIB = 96;

type Message = { type: string; [key: string]: unknown };

function ask(child: ChildProcess, message: Message | undefined, type: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type}`)), 60000);
    const onMessage = (m: Message) => {
      if (m.type === 'failed') reject(new Error(String(m.message)));
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

const spawn = (file: string, args: string[], execArgv: string[] = []) =>
  fork(path.join(LIB, file), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

/** Opens STREAMS streams from a new client process and sends them EVENTS events. */
async function round(server: ChildProcess, port: unknown, encoding: string) {
  const client = spawn('stream-client.mjs', []);
  await ask(client, { type: 'open', port, n: STREAMS, encoding }, 'opened');
  await ask(server, { type: 'sendMany', from: 1, to: EVENTS, gap: 20 }, 'sent');
  const waited = await ask(client, { type: 'wait', events: EVENTS }, 'waited');
  return { client, waited };
}

/**
 * KiB of server RSS per open stream, and what the clients received. A first batch of streams,
 * opened and kept open before the measured one, pays the fixed costs (V8's young generation
 * grown by garbage, compiled code, malloc arenas), which at 400 streams would be most of the
 * figure (about 100 KiB per stream at 400; at the benchmark's 2,000 about 10 KiB). The first batch
 * gets the second batch's events again, so only the second batch's order is checked.
 */
async function measure(variant: string, encoding: string) {
  const server = spawn('stream-server.mjs', [variant], ['--expose-gc']);
  const clients: ChildProcess[] = [];
  try {
    const { port } = await ask(server, undefined, 'ready');
    clients.push((await round(server, port, encoding)).client);
    const before = await ask(server, { type: 'mem' }, 'mem');
    const { client, waited } = await round(server, port, encoding);
    clients.push(client);
    const after = await ask(server, { type: 'mem' }, 'mem');
    const kib = ((after.rss as number) - (before.rss as number)) / STREAMS / 1024;
    return { kib, min: waited.min, errors: waited.errors };
  } finally {
    for (const client of clients) client.kill();
    server.kill();
  }
}

describe('@mw/gzip with 800 open server-sent-event streams', () => {
  it('holds a gzip stream in under 96 KiB and 0.45x of compression, brotli in under 0.6x', async () => {
    const plain = await measure('plain', 'identity');
    const sides = {
      mwGzip: await measure('mw', 'gzip'),
      compressionGzip: await measure('compression', 'gzip'),
      mwBr: await measure('mw', 'br'),
      compressionBr: await measure('compression', 'br'),
    };
    const extra = (s: { kib: number }) => s.kib - plain.kib;
    for (const side of [plain, ...Object.values(sides)]) {
      expect(side).toMatchObject({ min: EVENTS, errors: 0 });
    }
    console.log(
      plain.kib,
      Object.entries(sides)
        .map(([k, v]) => `${k} ${extra(v).toFixed(1)}`)
        .join(', '),
    );
    expect(extra(sides.mwGzip)).toBeLessThan(GZIP_BOUND_KIB);
    expect(extra(sides.mwGzip)).toBeLessThan(extra(sides.compressionGzip) * 0.45);
    // Brotli's floor is its match finder's 256 KiB hash table (gzip README): about 0.52x.
    expect(extra(sides.mwBr)).toBeLessThan(extra(sides.compressionBr) * 0.6);
  }, 120000);
});
