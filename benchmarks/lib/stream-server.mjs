// One server of the `streams` benchmark: `node --expose-gc stream-server.mjs <variant>`, started
// with an IPC channel. GET /events answers a server-sent event stream: one event written and
// flushed at once, then held open; the parent broadcasts further events (`send`), asks for a
// memory snapshot after two full GCs (`mem`) and for the CPU time spent since a mark (`cpu`).
import http from 'node:http';
import zlib from 'node:zlib';
import { chain } from './chain.mjs';
import { sseEvents } from './events.mjs';

const EVENTS = sseEvents(200).map((e) => Buffer.from(e));

/** Each side of the comparison: the middleware (if any) in front of the same SSE handler. */
const VARIANTS = {
  plain: async () => [],
  compression: async () => [(await import('compression')).default()],
  // The reference the size goal names: one zlib stream per response, flushed with Z_SYNC_FLUSH.
  zlibSync: async () => [zlibSyncFlush],
  // Exploration: a bare brotli stream with the parameters of STREAM_BROTLI ("quality,lgwin,mode").
  brotli: async () => [brotliFlush],
  mw: async () => {
    const { gzip } = await import('@mw/gzip');
    return [gzip({ encodings: ['gzip', 'br', 'deflate'], excludeContentTypes: [] })];
  },
};

function zlibSyncFlush(req, res, next) {
  if (!/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) return next();
  compressThrough(res, zlib.createGzip(), 'gzip', zlib.constants.Z_SYNC_FLUSH);
  next();
}

function brotliFlush(req, res, next) {
  const [q, lgwin, mode, lgblock, chunkSize] = (process.env.STREAM_BROTLI ?? '4,22,0,0')
    .split(',')
    .map(Number);
  const C = zlib.constants;
  const params = {
    [C.BROTLI_PARAM_QUALITY]: q,
    [C.BROTLI_PARAM_LGWIN]: lgwin,
    [C.BROTLI_PARAM_MODE]: mode,
  };
  if (lgblock) params[C.BROTLI_PARAM_LGBLOCK] = lgblock;
  const stream = zlib.createBrotliCompress(chunkSize ? { params, chunkSize } : { params });
  compressThrough(res, stream, 'br', C.BROTLI_OPERATION_FLUSH);
  next();
}

/** Sends the response's body through `stream`; `res.flush()` flushes it with `flushKind`. */
function compressThrough(res, stream, encoding, flushKind) {
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.setHeader('Content-Encoding', encoding);
  stream.on('data', (chunk) => write(chunk));
  stream.on('end', () => end());
  res.write = (chunk) => stream.write(chunk);
  res.end = (chunk) => (chunk ? stream.end(chunk) : stream.end());
  res.flush = () => stream.flush(flushKind);
  res.on('close', () => stream.destroy());
}

const open = new Set();

/** Writes event `i` (modulo the 200) to one stream and flushes it, as an SSE app does. */
function emit(res, i) {
  res.write(EVENTS[i % EVENTS.length]);
  res.flush?.();
}

function handler(req, res) {
  const url = new URL(req.url, 'http://x');
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  if (url.pathname === '/replay') {
    // The 200-event stream, one event per `gap` ms, each flushed, then the end.
    const gap = Number(url.searchParams.get('gap') ?? 1);
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i === EVENTS.length) return void res.end();
      emit(res, i++);
      setTimeout(next, gap);
    };
    return next();
  }
  open.add(res);
  res.on('close', () => open.delete(res));
  emit(res, 0);
}

function send(message) {
  process.send?.(message);
}

async function snapshot() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, open: open.size };
}

let cpuMark = process.cpuUsage();
let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100).unref();

async function main() {
  const build = VARIANTS[process.argv[2]];
  if (!build) throw new Error(`unknown variant ${process.argv[2]}`);
  const middleware = await build();
  const server = http.createServer(chain(middleware, handler));
  server.maxConnections = Infinity;
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
    send({ type: 'ready', port: server.address().port, pid: process.pid });
  });
  process.on('message', async (message) => {
    if (message.type === 'mem') send({ type: 'mem', ...(await snapshot()), peakRss });
    else if (message.type === 'mark') {
      cpuMark = process.cpuUsage();
      send({ type: 'marked' });
    } else if (message.type === 'cpu') {
      const cpu = process.cpuUsage(cpuMark);
      send({ type: 'cpu', us: cpu.user + cpu.system });
    } else if (message.type === 'send') {
      for (const res of open) emit(res, message.index);
      send({ type: 'sent', count: open.size });
    } else if (message.type === 'sendMany') {
      // Events from..to-1 to every open stream, `gap` ms apart (idle time between events).
      for (let i = message.from; i < message.to; i++) {
        for (const res of open) emit(res, i);
        await new Promise((resolve) => setTimeout(resolve, message.gap));
      }
      send({ type: 'sent', count: open.size });
    } else if (message.type === 'exit') {
      server.closeAllConnections();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((err) => {
  send({ type: 'failed', message: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
