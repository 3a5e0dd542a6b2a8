#!/usr/bin/env node
// Bounded soak of the full stack() on loopback: Express 5 with trustedHost, httpsRedirect, cors,
// gzip and session, driven by a fixed number of concurrent keep-alive clients sending mixed
// traffic (preflights allowed and refused, simple CORS, compressed JSON single-shot and streamed,
// session read-modify-write, redirects, refused hosts). Every response is checked for its
// expected status and headers; any mismatch, socket error or timeout counts as an error.
// Memory is compared after a forced GC (run with --expose-gc) at the start and at the end.
//
//   node --expose-gc integration-tests/reliability/soak.js [--duration=60000] [--concurrency=24] [--json]
//
// Exit code 0 only when there were no errors and memory stayed within the bounds below.
'use strict';
const http = require('node:http');
const { gunzipSync } = require('node:zlib');
const express = require('express');
const { stack } = require('@mw/stack');
const { trustedHost } = require('@mw/trusted-host');
const { httpsRedirect } = require('@mw/https-redirect');
const { cors } = require('@mw/cors');
const { gzip } = require('@mw/gzip');
const { session } = require('@mw/session');

/** Heap (after GC) may grow at most this much between the start and the end of the run. */
const HEAP_BOUND = 16 * 1024 * 1024;
/** RSS may grow at most this much (allocator slack, socket buffers, JIT code). */
const RSS_BOUND = 96 * 1024 * 1024;
const ORIGIN = 'https://app.example.com';
const PAYLOAD = JSON.stringify({
  items: Array.from({ length: 150 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })),
});

function createApp() {
  const app = express();
  app.use(
    stack(
      session({ secretKey: 'soak-secret' }),
      gzip(),
      cors({
        allowOrigins: [ORIGIN],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['content-type', 'x-token'],
        allowCredentials: true,
      }),
      httpsRedirect({ trustProxy: 1 }),
      trustedHost({ allowedHosts: ['example.com'] }),
    ),
  );
  app.get('/json', (req, res) => {
    res.type('application/json').send(PAYLOAD);
  });
  app.get('/stream', (req, res) => {
    res.type('application/json');
    res.write(PAYLOAD.slice(0, 1000));
    setImmediate(() => res.end(PAYLOAD.slice(1000)));
  });
  app.get('/count', (req, res) => {
    req.session.count = (req.session.count || 0) + 1;
    res.type('text/plain').send(String(req.session.count));
  });
  app.all('/api', (req, res) => {
    res.set('X-App', '1').type('text/plain').send('api');
  });
  return app;
}

/** One HTTP exchange on the shared agent; resolves with status, headers and body. */
function exchange(agent, port, method, path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

const SECURE = { host: 'example.com', 'x-forwarded-proto': 'https' };
const varies = (res, field) =>
  String(res.headers.vary || '')
    .toLowerCase()
    .split(',')
    .some((f) => f.trim() === field.toLowerCase());

/** Each kind: the request, and the checks its response must pass (a string names a failure). */
const KINDS = {
  async preflight(ctx) {
    const res = await ctx.send('OPTIONS', '/api', {
      ...SECURE,
      origin: ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-token',
    });
    if (res.status !== 200 || res.body.toString() !== 'OK') return `preflight status ${res.status}`;
    if (res.headers['access-control-allow-origin'] !== ORIGIN) return 'preflight ACAO';
    if (res.headers['access-control-allow-credentials'] !== 'true') return 'preflight ACAC';
    if (res.headers['x-app'] !== undefined) return 'preflight reached the app';
    if (!varies(res, 'Origin')) return 'preflight Vary';
  },
  async refusedPreflight(ctx) {
    const res = await ctx.send('OPTIONS', '/api', {
      ...SECURE,
      origin: 'https://evil.example.net',
      'access-control-request-method': 'DELETE',
    });
    if (res.status !== 400) return `refused preflight status ${res.status}`;
    if (res.body.toString() !== 'Disallowed CORS origin, method') return 'refused preflight body';
    if (res.headers['access-control-allow-origin'] !== undefined) return 'refused preflight ACAO';
  },
  async simpleCors(ctx) {
    const res = await ctx.send('GET', '/api', { ...SECURE, origin: ORIGIN });
    if (res.status !== 200 || res.body.toString() !== 'api') return `simple status ${res.status}`;
    if (res.headers['access-control-allow-origin'] !== ORIGIN) return 'simple ACAO';
    if (!varies(res, 'Origin')) return 'simple Vary';
  },
  async refusedOrigin(ctx) {
    const res = await ctx.send('GET', '/api', {
      ...SECURE,
      origin: 'https://app.example.com.evil.net',
    });
    if (res.status !== 200) return `refused origin status ${res.status}`;
    if (res.headers['access-control-allow-origin'] !== undefined) return 'refused origin ACAO';
    if (!varies(res, 'Origin')) return 'refused origin Vary';
  },
  async compressedJson(ctx) {
    const res = await ctx.send('GET', '/json', { ...SECURE, 'accept-encoding': 'gzip, br;q=0.5' });
    if (res.status !== 200 || res.headers['content-encoding'] !== 'gzip') return 'json encoding';
    if (gunzipSync(res.body).toString() !== PAYLOAD) return 'json body';
    if (!varies(res, 'Accept-Encoding')) return 'json Vary';
  },
  async streamedJson(ctx) {
    const res = await ctx.send('GET', '/stream', { ...SECURE, 'accept-encoding': 'gzip' });
    if (res.status !== 200 || res.headers['content-encoding'] !== 'gzip') return 'stream encoding';
    if (gunzipSync(res.body).toString() !== PAYLOAD) return 'stream body';
  },
  async identityJson(ctx) {
    const res = await ctx.send('GET', '/json', {
      ...SECURE,
      'accept-encoding': 'gzip;q=0, identity',
    });
    if (res.status !== 200 || res.headers['content-encoding'] !== undefined)
      return 'identity encoding';
    if (res.body.toString() !== PAYLOAD) return 'identity body';
  },
  async sessionCount(ctx) {
    const headers = { ...SECURE };
    if (ctx.cookie) headers.cookie = ctx.cookie;
    const res = await ctx.send('GET', '/count', headers);
    if (res.status !== 200) return `count status ${res.status}`;
    const count = Number(res.body.toString());
    if (count !== ctx.count + 1) return `count ${count} after ${ctx.count}`;
    const setCookie = res.headers['set-cookie'];
    if (!setCookie || !setCookie[0].startsWith('session=')) return 'count Set-Cookie';
    ctx.cookie = setCookie[0].split(';')[0];
    ctx.count = count;
  },
  async redirect(ctx) {
    const res = await ctx.send('GET', '/api?x=1&y=%20', { host: 'example.com' });
    if (res.status !== 307) return `redirect status ${res.status}`;
    if (res.headers.location !== 'https://example.com/api?x=1&y=%20') return 'redirect Location';
  },
  async refusedHost(ctx) {
    const res = await ctx.send('GET', '/api', {
      host: 'evil.example.net',
      'x-forwarded-proto': 'https',
    });
    if (res.status !== 400 || res.body.toString() !== 'Invalid host header')
      return `host status ${res.status}`;
  },
};
const ORDER = Object.keys(KINDS);

function memory() {
  if (globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
}

const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;

/**
 * Runs the soak. Resolves with a summary: request counts per kind, errors (the first 20
 * described), memory at the start and the end, and whether everything held.
 */
async function runSoak({
  durationMs = 60000,
  concurrency = 24,
  progressMs = 5000,
  log = () => {},
} = {}) {
  const server = http.createServer(createApp());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const counts = Object.fromEntries(ORDER.map((k) => [k, 0]));
  const errors = [];
  let errorCount = 0;
  let requests = 0;

  const worker = async (id, deadline) => {
    // Each worker is one user: its session cookie and count are its own, so read-modify-write
    // is sequential per user while the workers run concurrently.
    const ctx = { cookie: undefined, count: 0, send: (m, p, h) => exchange(agent, port, m, p, h) };
    for (let i = id; Date.now() < deadline; i++) {
      const kind = ORDER[i % ORDER.length];
      let failure;
      try {
        failure = await KINDS[kind](ctx);
      } catch (err) {
        failure = `${kind}: ${err.message}`;
      }
      requests++;
      counts[kind]++;
      if (failure) {
        errorCount++;
        if (errors.length < 20) errors.push(`${kind}: ${failure}`);
      }
    }
  };

  // Warm up (JIT, agent sockets, caches) before the baseline is taken.
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id, Date.now() + 500)));
  const start = memory();
  const started = Date.now();
  requests = 0;
  for (const k of ORDER) counts[k] = 0;
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    const m = process.memoryUsage();
    log(
      `soak ${s.toFixed(0)}s: ${requests} requests (${Math.round(requests / s)}/s), ` +
        `${errorCount} errors, heap ${mib(m.heapUsed)}, rss ${mib(m.rss)}`,
    );
  }, progressMs);
  const deadline = started + durationMs;
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id, deadline)));
  clearInterval(progress);
  const elapsed = Date.now() - started;
  agent.destroy();
  await new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  const end = memory();
  const growth = { heapUsed: end.heapUsed - start.heapUsed, rss: end.rss - start.rss };
  const memoryOk = growth.heapUsed < HEAP_BOUND && growth.rss < RSS_BOUND;
  return {
    ok: errorCount === 0 && memoryOk,
    durationMs: elapsed,
    concurrency,
    requests,
    perSecond: Math.round((requests * 1000) / elapsed),
    counts,
    errorCount,
    errors,
    memory: { start, end, growth, bounds: { heapUsed: HEAP_BOUND, rss: RSS_BOUND }, ok: memoryOk },
  };
}

module.exports = { runSoak, HEAP_BOUND, RSS_BOUND };

if (require.main === module) {
  const arg = (name, fallback) => {
    const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
    return hit ? Number(hit.split('=')[1]) : fallback;
  };
  const json = process.argv.includes('--json');
  runSoak({
    durationMs: arg('duration', 60000),
    concurrency: arg('concurrency', 24),
    progressMs: arg('progress', 5000),
    log: json ? () => {} : (line) => console.log(line),
  }).then(
    (summary) => {
      if (json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        const { memory: m } = summary;
        console.log(
          `soak done: ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s ` +
            `(${summary.perSecond}/s, ${summary.concurrency} in flight), ${summary.errorCount} errors`,
        );
        console.log(`per kind: ${JSON.stringify(summary.counts)}`);
        for (const e of summary.errors) console.log(`  error: ${e}`);
        console.log(
          `memory after GC: heap ${mib(m.start.heapUsed)} -> ${mib(m.end.heapUsed)} ` +
            `(bound +${mib(m.bounds.heapUsed)}), rss ${mib(m.start.rss)} -> ${mib(m.end.rss)} ` +
            `(bound +${mib(m.bounds.rss)})${globalThis.gc ? '' : ' [run with --expose-gc for exact figures]'}`,
        );
        console.log(summary.ok ? 'soak OK' : 'soak FAILED');
      }
      process.exit(summary.ok ? 0 : 1);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
