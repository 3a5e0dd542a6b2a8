#!/usr/bin/env node
// npm run bench -- streams10k [--streams n] [--seconds s] [--encoding gzip|br|deflate]
//   [--bound-mib m] [--variant mw|compression|plain] [--clients k]
//
// Issue 19's soak: 10,000 concurrent compressed server-sent-event streams against one @mw/gzip
// server process on loopback, one event per second to every stream for 30 s. The clients (four
// processes of 2,500 streams, so no process needs more than ~2,600 file descriptors) decode every
// stream with node:zlib and check that each one received every event, whole and in order. Fails
// (exit code 1) when a stream missed, reordered or could not decode an event, or when the server's
// peak RSS exceeds the bound the gzip README states (--bound-mib, default 768 MiB for gzip).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ask, closeClients, merge, openClients, startStreamServer } from './lib/streams.mjs';

const args = process.argv.slice(process.argv[2] === 'streams10k' ? 3 : 2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const streams = Number(opt('streams', 10000));
const seconds = Number(opt('seconds', 30));
const encoding = opt('encoding', 'gzip');
const variant = opt('variant', 'mw');
const clientCount = Number(opt('clients', Math.max(1, Math.ceil(streams / 2500))));
const boundMiB = Number(opt('bound-mib', encoding === 'br' ? 4096 : 768));
const MiB = 1048576;

const started = Date.now();
const log = (line) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const pinned =
  os.availableParallelism() >= 2 &&
  (() => {
    try {
      execFileSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' });
      execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const { child, port } = await startStreamServer(variant, pinned);
let failed = false;
try {
  const before = await ask(child, { type: 'mem' }, 'mem');
  log(
    `server ${variant} (${encoding}) up, RSS ${(before.rss / MiB).toFixed(0)} MiB; opening ${streams} streams from ${clientCount} client processes`,
  );
  const { clients, opened } = await openClients(port, streams, encoding, clientCount);
  const open = await ask(child, { type: 'mem' }, 'mem');
  log(
    `${opened.streams} streams open (${open.open} on the server), RSS ${(open.rss / MiB).toFixed(0)} MiB, ${((open.rss - before.rss) / streams / 1024).toFixed(1)} KiB per stream`,
  );
  log(`one event per second to every stream for ${seconds} s`);
  await ask(child, { type: 'mark' }, 'marked');
  await ask(
    child,
    { type: 'sendMany', from: 1, to: seconds + 1, gap: 1000 },
    'sent',
    (seconds + 120) * 1000,
  );
  const cpu = (await ask(child, { type: 'cpu' }, 'cpu')).us;
  const events = seconds + 1;
  const waited = merge(
    await Promise.all(
      clients.map((c) => ask(c, { type: 'wait', events, timeoutMs: 60000 }, 'waited', 90000)),
    ),
  );
  const end = await ask(child, { type: 'mem' }, 'mem');
  await closeClients(clients);
  const peak = end.peakRss;
  log(
    `every stream: ${waited.min} to ${waited.max} events of ${events}; ${waited.errors} streams with errors${waited.problems.length ? `: ${waited.problems.join('; ')}` : ''}`,
  );
  log(
    `server CPU ${(cpu / 1e6).toFixed(1)} s for ${streams * (events - 1)} events (${(cpu / streams / (events - 1)).toFixed(0)} us per event); ${(waited.wire / MiB).toFixed(1)} MiB on the wire`,
  );
  log(
    `server RSS at the end ${(end.rss / MiB).toFixed(0)} MiB (${((end.rss - before.rss) / streams / 1024).toFixed(1)} KiB per stream), peak ${(peak / MiB).toFixed(0)} MiB; bound ${boundMiB} MiB`,
  );
  if (waited.min < events || waited.errors > 0 || opened.streams !== streams) {
    failed = true;
    log('FAILED: a stream missed, reordered or could not decode an event');
  }
  if (peak > boundMiB * MiB) {
    failed = true;
    log(`FAILED: peak RSS ${(peak / MiB).toFixed(0)} MiB is over the bound of ${boundMiB} MiB`);
  }
  if (!failed) log('passed');
} finally {
  child.kill();
}
process.exit(failed ? 1 : 0);
