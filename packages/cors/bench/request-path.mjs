// Micro-benchmark of the request path: @mw/cors vs the `cors` package, called directly with
// fake req/res objects (no sockets). Run from the repo root after `cd packages/cors && npx tsup`:
//   node packages/cors/bench/request-path.mjs
// A sanity check only; the benchmark suite proper lives elsewhere.
import http from 'node:http';
import { Bench } from 'tinybench';
import expressCors from 'cors';
import { cors } from '../dist/index.mjs';

const ORIGIN = 'https://app.example.com';

function fakeRes(req) {
  const headers = Object.create(null);
  return {
    req,
    statusCode: 200,
    headersSent: false,
    getHeader: (name) => headers[name.toLowerCase()],
    setHeader(name, value) {
      headers[name.toLowerCase()] = value;
      return this;
    },
    removeHeader: (name) => delete headers[name.toLowerCase()],
    writeHead() {
      return this;
    },
    end() {
      this.headersSent = true;
    },
    headers,
  };
}

/** A real ServerResponse without a socket (Node buffers its output): real setHeader costs. */
function realRes(fake) {
  const req = new http.IncomingMessage(null);
  req.method = fake.method;
  req.url = fake.url;
  req.headers = fake.headers;
  const res = new http.ServerResponse(req);
  return { req, res };
}

const simple = () => ({ method: 'GET', url: '/', headers: { origin: ORIGIN } });
const preflight = () => ({
  method: 'OPTIONS',
  url: '/',
  headers: {
    origin: ORIGIN,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'x-token, content-type',
  },
});

const ours = cors({
  allowOrigins: [ORIGIN, 'https://admin.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['X-Token', 'Content-Type'],
  allowCredentials: true,
  exposeHeaders: ['X-Request-Id'],
  maxAge: 600,
});
const theirs = expressCors({
  origin: [ORIGIN, 'https://admin.example.com'],
  methods: ['GET', 'POST'],
  allowedHeaders: ['X-Token', 'Content-Type'],
  credentials: true,
  exposedHeaders: ['X-Request-Id'],
  maxAge: 600,
});

/** No middleware at all: what the real-res rows cost without CORS. */
const none = (_req, _res, next) => next();

/** One request: the middleware, then (if it passes on) the app writing its head. */
function run(mw, makeReq) {
  const req = makeReq();
  const res = fakeRes(req);
  mw(req, res, () => {
    res.writeHead(200);
    res.end();
  });
  return res;
}

function runReal(mw, makeReq) {
  const { req, res } = realRes(makeReq());
  mw(req, res, () => {
    res.writeHead(200);
    res.end();
  });
  return res;
}

// Both must actually do CORS, or the comparison is meaningless.
for (const [name, mw] of [
  ['@mw/cors', ours],
  ['cors', theirs],
]) {
  const s = run(mw, simple).headers;
  const p = run(mw, preflight).headers;
  if (s['access-control-allow-origin'] !== ORIGIN || p['access-control-allow-origin'] !== ORIGIN) {
    throw new Error(`${name} did not answer as expected: ${JSON.stringify({ s, p })}`);
  }
}

const bench = new Bench({ time: 1000, warmupTime: 300 });
bench
  .add('@mw/cors simple GET', () => run(ours, simple))
  .add('cors simple GET', () => run(theirs, simple))
  .add('@mw/cors preflight', () => run(ours, preflight))
  .add('cors preflight', () => run(theirs, preflight))
  .add('baseline simple GET (real res)', () => runReal(none, simple))
  .add('baseline preflight (real res)', () => runReal(none, preflight))
  .add('@mw/cors simple GET (real res)', () => runReal(ours, simple))
  .add('cors simple GET (real res)', () => runReal(theirs, simple))
  .add('@mw/cors preflight (real res)', () => runReal(ours, preflight))
  .add('cors preflight (real res)', () => runReal(theirs, preflight));
await bench.run();

const hz = Object.fromEntries(
  bench.tasks.map((t) => [t.name, t.result.throughput?.mean ?? t.result.hz]),
);
console.table(
  bench.tasks.map((t) => ({
    task: t.name,
    'ops/s': Math.round(hz[t.name]),
    'ns/op': Math.round(1e9 / hz[t.name]),
  })),
);
for (const kind of ['simple GET', 'preflight', 'simple GET (real res)', 'preflight (real res)']) {
  const ratio = hz[`@mw/cors ${kind}`] / hz[`cors ${kind}`];
  console.log(`${kind}: @mw/cors is ${ratio.toFixed(2)}x the cors package (target >= 1.25x)`);
}
// The real-res rows share the cost of building and serialising a ServerResponse; take the
// no-middleware baseline off to compare what each middleware itself costs per call.
for (const kind of ['simple GET', 'preflight']) {
  const base = 1e9 / hz[`baseline ${kind} (real res)`];
  const mine = 1e9 / hz[`@mw/cors ${kind} (real res)`] - base;
  const theirs = 1e9 / hz[`cors ${kind} (real res)`] - base;
  console.log(
    `${kind} (real res, baseline ${Math.round(base)} ns removed): @mw/cors ${Math.round(mine)} ns, ` +
      `cors ${Math.round(theirs)} ns, ${(theirs / mine).toFixed(2)}x`,
  );
}
