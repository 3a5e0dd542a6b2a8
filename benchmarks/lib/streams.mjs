// The `streams` benchmark kind (issue 19): memory, bytes and CPU per open compressed stream.
//
// Method. Each side is a server child process (`stream-server.mjs`, --expose-gc, pinned to CPU 0
// when taskset exists) whose clients run in separate client processes (`stream-client.mjs`,
// decoding every stream with node:zlib and checking the events' order). For each side:
//   1. memory snapshot of the idle server (three full GCs, then `process.memoryUsage()`);
//   2. N streams opened: each gets one ~250-byte event written and flushed, then is held;
//   3. snapshot again; (rss after - rss before) / N is the side's KiB per open stream, and the
//      same difference for the uncompressed side is subtracted: "extra KiB per stream";
//   4. one more event broadcast to every stream (written + flushed): server CPU per event;
//   5. the 200-event replay (`/replay`, one event per ms, each flushed) on one more connection:
//      compressed bytes on the wire, decoded and compared with the events sent.
import { execFileSync, fork } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { sseEvents } from './events.mjs';

const SERVER = fileURLToPath(new URL('./stream-server.mjs', import.meta.url));
const CLIENT = fileURLToPath(new URL('./stream-client.mjs', import.meta.url));

/** The sides, in the order of the table: the middleware of the server and what the client asks. */
export const STREAM_SIDES = [
  { key: 'plain', name: 'no compression (baseline)', variant: 'plain', encoding: 'identity' },
  { key: 'compression-gzip', name: 'compression, gzip', variant: 'compression', encoding: 'gzip' },
  {
    key: 'zlib-gzip',
    name: 'zlib gzip stream, Z_SYNC_FLUSH',
    variant: 'zlibSync',
    encoding: 'gzip',
  },
  { key: 'mw-gzip', name: '@mw/gzip, gzip', variant: 'mw', encoding: 'gzip' },
  { key: 'compression-br', name: 'compression, br', variant: 'compression', encoding: 'br' },
  { key: 'mw-br', name: '@mw/gzip, br', variant: 'mw', encoding: 'br' },
];

/** Waits for one IPC message of `type` from `child`. */
export function reply(child, type, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m) => {
      if (m.type === 'failed') done(new Error(m.message));
      else if (m.type === type) done(undefined, m);
    };
    const onExit = (code) => done(new Error(`child exited (${code}) before ${type}`));
    function done(err, value) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function ask(child, message, type, timeoutMs) {
  const answer = reply(child, type, timeoutMs);
  child.send(message);
  return answer;
}

export async function startStreamServer(variant, pinned, brotli) {
  const child = fork(SERVER, [variant], {
    execArgv: ['--expose-gc'],
    env: brotli ? { ...process.env, STREAM_BROTLI: brotli } : process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await reply(child, 'ready', 20000);
  if (pinned)
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
  return { child, port: ready.port };
}

/** Forks `count` client processes, each opening its share of `n` streams. */
export async function openClients(port, n, encoding, count) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    clients.push(fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }
  const share = (i) => Math.floor(n / count) + (i < n % count ? 1 : 0);
  const opened = await Promise.all(
    clients.map((c, i) => ask(c, { type: 'open', port, n: share(i), encoding }, 'opened')),
  );
  return { clients, opened: merge(opened) };
}

/** Sums the clients' stats: streams, min/max events per stream, errors. */
export function merge(list) {
  return list.reduce(
    (a, s) => ({
      streams: a.streams + s.streams,
      min: Math.min(a.min, s.min),
      max: Math.max(a.max, s.max),
      errors: a.errors + s.errors,
      wire: a.wire + s.wire,
      problems: [...a.problems, ...s.problems].slice(0, 5),
    }),
    { streams: 0, min: Infinity, max: 0, errors: 0, wire: 0, problems: [] },
  );
}

export async function closeClients(clients) {
  await Promise.all(clients.map((c) => ask(c, { type: 'close' }, 'closed')));
  for (const c of clients) c.kill();
}

const DECODE = { gzip: zlib.gunzipSync, br: zlib.brotliDecompressSync, deflate: zlib.inflateSync };

/** GET /replay: the compressed bytes of the 200-event stream, checked after decoding. */
function replay(port, encoding) {
  return new Promise((resolve, reject) => {
    const headers = encoding === 'identity' ? {} : { 'accept-encoding': encoding };
    const req = http.get({ host: '127.0.0.1', port, path: '/replay?gap=1', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        const got = res.headers['content-encoding'];
        const text = (got ? DECODE[got](wire) : wire).toString();
        const ok = text === sseEvents(200).join('');
        resolve({ bytes: wire.length, ok });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function measureSide(side, settings) {
  const { child, port } = await startStreamServer(side.variant, settings.pinned, side.env);
  try {
    const before = await ask(child, { type: 'mem' }, 'mem');
    await ask(child, { type: 'mark' }, 'marked');
    const { clients, opened } = await openClients(port, settings.streams, side.encoding, 1);
    const openCpu = (await ask(child, { type: 'cpu' }, 'cpu')).us;
    const after = await ask(child, { type: 'mem' }, 'mem');
    await ask(child, { type: 'mark' }, 'marked');
    const events = settings.events;
    await ask(child, { type: 'sendMany', from: 1, to: events, gap: 20 }, 'sent');
    const waited = merge(
      await Promise.all(clients.map((c) => ask(c, { type: 'wait', events }, 'waited'))),
    );
    const eventCpu = (await ask(child, { type: 'cpu' }, 'cpu')).us;
    const steady = await ask(child, { type: 'mem' }, 'mem');
    const replayed = await replay(port, side.encoding);
    await closeClients(clients);
    const n = settings.streams;
    return {
      key: side.key,
      name: side.name,
      streams: opened.streams,
      failed: waited.errors + (waited.min < events ? 1 : 0),
      problems: waited.problems,
      rssKiB: (after.rss - before.rss) / n / 1024,
      steadyKiB: (steady.rss - before.rss) / n / 1024,
      heapKiB: (after.heapUsed - before.heapUsed) / n / 1024,
      externalKiB: (after.external - before.external) / n / 1024,
      openUs: openCpu / n,
      eventUs: eventCpu / n / (events - 1),
      replayBytes: replayed.bytes,
      replayOk: replayed.ok,
    };
  } finally {
    child.kill();
  }
}

/** Runs every side of the `streams` kind; extra KiB per stream is over the baseline's. */
export async function runStreams(settings, progress) {
  const sides = [];
  for (const side of STREAM_SIDES) {
    progress(`streams: ${side.name}, ${settings.streams} concurrent streams`);
    try {
      sides.push(await measureSide(side, settings));
    } catch (err) {
      sides.push({ key: side.key, name: side.name, error: err.message.split('\n')[0] });
    }
  }
  const base = sides.find((s) => s.key === 'plain' && !s.error);
  for (const s of sides) {
    if (base && !s.error) {
      s.extraKiB = s.rssKiB - base.rssKiB;
      s.steadyExtraKiB = s.steadyKiB - base.steadyKiB;
    }
  }
  return { id: 'streams', pkg: 'gzip', streams: settings.streams, events: settings.events, sides };
}
