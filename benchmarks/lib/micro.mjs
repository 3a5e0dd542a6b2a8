// Per-call micro-benchmarks (tinybench) of each middleware's request path. Both sides get the
// same fresh, real `http.IncomingMessage` and `BenchResponse` (an `http.ServerResponse`) for
// every call, built before the clock starts; only the middleware call (and what it runs before
// returning, e.g. writing the head of a preflight or redirect answer) is timed. Calls are timed
// in batches of 64 to keep the timer's own cost out of the per-call figure. Tasks alternate
// (A, B, then B, A, ...) over several rounds; the median of the rounds' means is reported.
import http from 'node:http';
import { Bench } from 'tinybench';
import { BenchResponse } from './chain.mjs';
import {
  HOSTS,
  ORIGIN,
  cookieSessionOptions,
  hostValidationOptions,
  mwCorsOptions,
  mwSessionOptions,
  peerCorsOptions,
} from './scenarios.mjs';
import { median } from './http.mjs';

const BATCH = 64;
const SOCKET = Object.freeze({
  remoteAddress: '127.0.0.1',
  remotePort: 50123,
  encrypted: undefined,
});
const noop = () => {};

const fresh = (text) => Buffer.from(text, 'latin1').toString('latin1');

/** A real IncomingMessage as node:http would hand it to a listener (plus connect's originalUrl). */
function makeRequest(method, url, headers) {
  const req = new http.IncomingMessage(SOCKET);
  req.method = method;
  req.url = url;
  req.originalUrl = url;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  // Fresh strings, as Node's parser makes for every request: literals are interned, and V8
  // caches work on interned strings (String.prototype.split has a cache), which would flatter
  // code that splits or lower-cases header values.
  const raw = [];
  const parsed = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = fresh(value);
    raw.push(fresh(name), v);
    parsed[name] = v;
  }
  req.rawHeaders = raw;
  req.headers = parsed;
  return req;
}

function fixture(spec) {
  const req = makeRequest(spec.method, spec.url, spec.headers);
  const res = new BenchResponse(req);
  return { req, res, next: spec.next ? spec.next(req, res) : noop };
}

/** next() that answers at once, so head hooks run inside the timed call. */
const answer = (_req, res) => () => res.end('ok');

/** next() of the session workload: read, modify, write, answer. */
const sessionNext = (req, res) => () => {
  const session = req.session ?? (req.session = {}); // the floor has no session middleware
  session.count = (session.count ?? 0) + 1;
  res.end('ok');
};

/** Runs one middleware call with no cookie and returns the `Cookie` a browser would send back. */
function cookieFor(middleware) {
  const { req, res, next } = fixture({ method: 'GET', url: '/', headers: {}, next: sessionNext });
  middleware(req, res, next);
  const setCookie = res.getHeader('set-cookie');
  const lines = Array.isArray(setCookie) ? setCookie : [String(setCookie)];
  return lines.map((line) => line.split(';')[0]).join('; ');
}

async function load(name) {
  return import(name);
}

/** The comparisons: each builds both middlewares and the request spec (cookies need the middleware). */
export const microCases = [
  {
    id: 'cors-simple',
    pkg: 'cors',
    title: 'cors: simple GET, allowed Origin',
    target: 1.25,
    async sides() {
      const spec = {
        method: 'GET',
        url: '/api/items',
        headers: { host: 'example.com', origin: ORIGIN },
        // @mw/cors adds its headers just before the head goes out, so the call must write it.
        next: answer,
      };
      const check = expectHeader('access-control-allow-origin', ORIGIN);
      return [
        {
          key: 'mw',
          name: '@mw/cors',
          fn: (await load('@mw/cors')).cors(mwCorsOptions),
          spec,
          check,
        },
        {
          key: 'peer',
          name: 'cors',
          fn: (await load('cors')).default(peerCorsOptions),
          spec,
          check,
        },
      ];
    },
  },
  {
    id: 'cors-preflight',
    pkg: 'cors',
    title: 'cors: preflight',
    target: 1.25,
    async sides() {
      const spec = {
        method: 'OPTIONS',
        url: '/api/items',
        headers: {
          host: 'example.com',
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
        next: answer, // only the floor calls it: the middleware answers a preflight itself
      };
      const check = expectHeader('access-control-allow-origin', ORIGIN);
      return [
        {
          key: 'mw',
          name: '@mw/cors',
          fn: (await load('@mw/cors')).cors(mwCorsOptions),
          spec,
          check,
        },
        {
          key: 'peer',
          name: 'cors',
          fn: (await load('cors')).default(peerCorsOptions),
          spec,
          check,
        },
      ];
    },
  },
  {
    id: 'trusted-host-allowed',
    pkg: 'trusted-host',
    title: 'trusted-host: allowed Host',
    target: 1,
    async sides() {
      const spec = { method: 'GET', url: '/api/items', headers: { host: 'www.example.com' } };
      const { trustedHost } = await load('@mw/trusted-host');
      return [
        {
          key: 'mw',
          name: '@mw/trusted-host',
          fn: trustedHost({ allowedHosts: HOSTS }),
          spec,
          check: expectNext,
        },
        {
          key: 'peer',
          name: 'host-validation',
          fn: (await load('host-validation')).default(hostValidationOptions),
          spec,
          check: expectNext,
        },
      ];
    },
  },
  {
    id: 'https-redirect-redirect',
    pkg: 'https-redirect',
    title: 'https-redirect: plain-HTTP GET redirected',
    target: 1,
    async sides() {
      const spec = {
        method: 'GET',
        url: '/account?tab=1',
        headers: { host: 'example.com' },
        next: answer, // only the floor calls it: a redirect never reaches the app
      };
      const { httpsRedirect } = await load('@mw/https-redirect');
      const check = expectHeader('location', 'https://example.com/account?tab=1');
      return [
        { key: 'mw', name: '@mw/https-redirect', fn: httpsRedirect(), spec, check },
        {
          key: 'peer',
          name: 'express-sslify',
          fn: (await load('express-sslify')).HTTPS(),
          spec,
          check,
        },
      ];
    },
  },
  {
    id: 'session-rmw',
    pkg: 'session',
    title: 'session: read, modify, write a small session',
    target: 1.5,
    async sides() {
      const mw = (await load('@mw/session')).session(mwSessionOptions);
      const peer = (await load('cookie-session')).default(cookieSessionOptions);
      const spec = (cookie) => ({
        method: 'GET',
        url: '/session',
        headers: { host: 'example.com', cookie },
        next: sessionNext,
      });
      return [
        { key: 'mw', name: '@mw/session', fn: mw, spec: spec(cookieFor(mw)), check: expectCount },
        {
          key: 'peer',
          name: 'cookie-session',
          fn: peer,
          spec: spec(cookieFor(peer)),
          check: expectCount,
        },
      ];
    },
  },
];

function addTask(bench, side) {
  const fixtures = new Array(BATCH);
  bench.add(side.name, () => {
    const began = bench.now();
    for (let i = 0; i < BATCH; i++) fixtures[i] = fixture(side.spec);
    const start = bench.now();
    for (let i = 0; i < BATCH; i++) {
      const f = fixtures[i];
      side.fn(f.req, f.res, f.next);
    }
    const elapsed = bench.now() - start;
    // The time budget counts the whole iteration, fixtures included, so a fast middleware does
    // not make a task run for ever.
    return { overriddenDuration: elapsed / BATCH, overriddenIterationCost: bench.now() - began };
  });
}

/** Checks that a middleware call did its job on a fresh fixture (so no broken side is timed). */
function sanity(side) {
  const f = fixture(side.spec);
  let nextCalled = false;
  side.fn(f.req, f.res, (err) => {
    if (err) throw err;
    nextCalled = true;
    f.next();
  });
  const problem = side.check?.(f, nextCalled);
  if (problem) throw new Error(`${side.name}: wrong answer: ${problem}`);
  return { nextCalled, status: f.res.statusCode };
}

/**
 * Reads a response header the way the client will see it: from the head Node serialised
 * (`res._header`, set once the head is written), falling back to the header map. A head written
 * with `writeHead(status, flatArray)` never enters the map.
 */
function sentHeader(res, name) {
  const head = typeof res._header === 'string' ? res._header : '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line === undefined ? res.getHeader(name) : line.slice(name.length + 1).trim();
}
const expectHeader = (name, value) => (f) =>
  sentHeader(f.res, name) === value
    ? undefined
    : `expected ${name}: ${value}, got ${JSON.stringify(sentHeader(f.res, name))}`;
const expectNext = (_f, nextCalled) => (nextCalled ? undefined : 'expected next() to be called');
const expectCount = (f) =>
  f.req.session?.count === 2 && f.res.getHeader('set-cookie')
    ? undefined
    : 'expected the cookie to be read back (count 2) and a Set-Cookie';

export async function runMicro(cases, settings, progress) {
  const results = [];
  for (const c of cases) {
    const result = { id: c.id, pkg: c.pkg, title: c.title, target: c.target, sides: [] };
    results.push(result);
    let sides;
    try {
      sides = await c.sides();
      for (const side of sides) side.sanity = sanity(side);
      // (the floor is added after the checks: it does not do the job by definition)
    } catch (err) {
      result.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
      progress(`micro ${c.id}: NOT MEASURED: ${result.error}`);
      continue;
    }
    // What the same call costs with no middleware at all (next() straight away, so the app's
    // answer, where there is one, is included): the part of each figure that is not middleware.
    sides.push({
      key: 'floor',
      name: 'no middleware (floor)',
      fn: (_req, _res, next) => next(),
      spec: sides[0].spec,
    });
    const perSide = new Map(sides.map((side) => [side.key, []]));
    for (let round = 0; round < settings.microRounds; round++) {
      const bench = new Bench({
        time: settings.microTime,
        warmupTime: 100,
        timestampProvider: 'hrtimeNow',
      });
      const order = round % 2 ? [...sides].reverse() : sides;
      for (const side of order) addTask(bench, side);
      await bench.run();
      for (const side of order) {
        const task = bench.getTask(side.name);
        const latency = task?.result?.latency;
        if (!latency) throw new Error(`micro ${c.id}: ${side.name} did not complete`);
        perSide.get(side.key).push(latency.mean * 1e6);
      }
      progress(
        `micro ${c.id}: round ${round + 1}/${settings.microRounds}: ` +
          order
            .map((side) => `${side.name} ${perSide.get(side.key).at(-1).toFixed(0)} ns/op`)
            .join(', '),
      );
    }
    result.sides = sides.map((side) => {
      const values = perSide.get(side.key);
      return {
        key: side.key,
        name: side.name,
        ns: median(values),
        nsMin: Math.min(...values),
        nsMax: Math.max(...values),
        status: side.sanity?.status,
        nextCalled: side.sanity?.nextCalled,
      };
    });
  }
  return results;
}
