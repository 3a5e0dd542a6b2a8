// Every HTTP comparison: the request, the servers compared (all in the same run), what each
// must answer before it is measured, and the targets. Packages are imported inside
// `build`, in the server process, so one broken package cannot stop the others' benchmarks.
import zlib from 'node:zlib';
import { chain } from './chain.mjs';
import {
  appHandler,
  jsonBody,
  jsonHandler,
  sessionHandler,
  streamHandler,
  textHandler,
} from './workloads.mjs';

export const ORIGIN = 'https://app.example.com';
export const ORIGINS = [ORIGIN, 'https://admin.example.com'];
export const HOSTS = ['example.com', 'www.example.com'];
export const SECRET = 'benchmark-secret-0123456789abcdef';
const TWO_WEEKS = 14 * 24 * 60 * 60;

/** The same CORS policy in both packages' words. */
export const mwCorsOptions = {
  allowOrigins: ORIGINS,
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['Content-Type'],
  maxAge: 600,
};
export const peerCorsOptions = {
  origin: ORIGINS,
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type'],
  maxAge: 600,
};
/** The same signed cookie session: name `session`, 14 days. */
export const mwSessionOptions = { secretKey: SECRET };
export const cookieSessionOptions = { name: 'session', keys: [SECRET], maxAge: TWO_WEEKS * 1000 };
export const hostValidationOptions = { hosts: HOSTS };
export const hstsOptions = { maxAge: 31536000, includeSubDomains: true };

const mod = (name) => import(name);

/**
 * connect-redis on node-redis, as connect-redis's README sets them up, against the Redis that
 * run.mjs started for this run (`MW_BENCH_REDIS_URL`).
 */
async function redisStore(prefix) {
  const { createClient } = await import('redis');
  const { RedisStore } = await import('connect-redis');
  const url = process.env.MW_BENCH_REDIS_URL;
  if (!url) throw new Error('no Redis: run.mjs starts one for scenarios marked redis');
  const redisClient = createClient({ url });
  await redisClient.connect();
  return new RedisStore({ client: redisClient, prefix });
}
const def = async (name) => (await import(name)).default;

/**
 * express-session as an app sets it up (no resave, no empty sessions, a two-week cookie), on
 * the store `storeFor(expressSession)` makes, in front of the session workload.
 */
async function expressSessionChain(storeFor) {
  const expressSession = await def('express-session');
  return chain(
    [
      expressSession({
        secret: SECRET,
        resave: false,
        saveUninitialized: false,
        store: await storeFor(expressSession),
        cookie: { maxAge: TWO_WEEKS * 1000 },
      }),
    ],
    sessionHandler,
  );
}

/**
 * The least any CORS implementation can do for an allowed simple request: the handler itself
 * sets `Access-Control-Allow-Origin` and `Vary: Origin` (no middleware, no hook, no checks).
 */
function manualCorsHandler(req, res) {
  if (req.headers.origin === ORIGIN) {
    res.setHeader('Access-Control-Allow-Origin', ORIGIN);
    res.setHeader('Vary', 'Origin');
  }
  textHandler(req, res);
}

/** A hand-written server answering `jsonHandler`'s body compressed with one `gzipSync` call. */
function gzipSyncHandler(level) {
  return function gzipSyncServer(req, res) {
    const body = Buffer.from(jsonBody());
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const gz = zlib.gzipSync(body, { level });
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', gz.length);
      res.end(gz);
      return;
    }
    res.setHeader('Content-Length', body.length);
    res.end(body);
  };
}

const header = (name, value) => (res) =>
  res.headers[name] === value
    ? undefined
    : `expected ${name}: ${value}, got ${JSON.stringify(res.headers[name])}`;
const status = (code) => (res) =>
  res.statusCode === code ? undefined : `expected status ${code}, got ${res.statusCode}`;
const gzipped = header('content-encoding', 'gzip');
const allowedOrigin = header('access-control-allow-origin', ORIGIN);
const counted = (res, body) =>
  body === 'count=2' ? undefined : `expected the cookie to be read back (count=2), got ${body}`;
const setsCookie = (res) =>
  res.headers['set-cookie'] ? undefined : 'expected a Set-Cookie on a modified session';
const all =
  (...checks) =>
  (res, body) =>
    checks.map((check) => check(res, body)).find((problem) => problem !== undefined);

function gzipScenario(level) {
  return {
    id: `gzip-json-l${level}`,
    pkg: 'gzip',
    title: `4.8 KB JSON, fresh per request, level ${level}`,
    request: { method: 'GET', path: '/json', headers: { 'accept-encoding': 'gzip' } },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (uncompressed)',
        build: async () => chain([], jsonHandler),
      },
      {
        key: 'gzipSync',
        short: 'gzipSync',
        name: 'hand-written zlib.gzipSync',
        build: async () => chain([], gzipSyncHandler(level)),
        check: gzipped,
      },
      {
        key: 'mw',
        name: `@mw/gzip (compressLevel: ${level})`,
        build: async () => {
          const { gzip } = await mod('@mw/gzip');
          return chain([gzip({ compressLevel: level })], jsonHandler);
        },
        check: gzipped,
      },
      {
        key: 'peer',
        short: 'compression',
        name: `compression (level: ${level})`,
        build: async () => {
          const compression = await def('compression');
          return chain([compression({ level })], jsonHandler);
        },
        check: gzipped,
      },
    ],
    targets: [
      { text: `req/s >= 2.5x compression (level ${level})`, num: 'mw', den: 'peer', min: 2.5 },
      { text: 'req/s >= 0.85x hand-written gzipSync', num: 'mw', den: 'gzipSync', min: 0.85 },
    ],
  };
}

/** @type {Array<object>} */
export const scenarios = [
  {
    id: 'cors-simple',
    pkg: 'cors',
    title: 'simple GET with an allowed Origin',
    request: { method: 'GET', path: '/api/items?page=1', headers: { origin: ORIGIN } },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http',
        build: async () => chain([], textHandler),
      },
      {
        key: 'manual',
        short: 'hand-written',
        name: 'hand-written: the handler sets the two headers itself',
        build: async () => chain([], manualCorsHandler),
        check: allowedOrigin,
      },
      {
        key: 'mw',
        name: '@mw/cors',
        build: async () => chain([(await mod('@mw/cors')).cors(mwCorsOptions)], textHandler),
        check: allowedOrigin,
      },
      {
        key: 'peer',
        short: 'cors',
        name: 'cors',
        build: async () => chain([(await def('cors'))(peerCorsOptions)], textHandler),
        check: allowedOrigin,
      },
    ],
    targets: [
      { text: 'req/s >= 0.95x bare server', num: 'mw', den: 'bare', min: 0.95 },
      {
        text: 'req/s >= 0.95x the hand-written two headers (reference, not in the issue)',
        num: 'mw',
        den: 'manual',
        min: 0.95,
      },
      { text: 'req/s >= cors (reference, not in the issue)', num: 'mw', den: 'peer', min: 1 },
    ],
  },
  {
    id: 'cors-preflight',
    pkg: 'cors',
    title: 'preflight (OPTIONS, allowed Origin, method and header)',
    request: {
      method: 'OPTIONS',
      path: '/api/items',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (answers 200 ok)',
        build: async () => chain([], textHandler),
      },
      {
        key: 'mw',
        name: '@mw/cors',
        build: async () => chain([(await mod('@mw/cors')).cors(mwCorsOptions)], textHandler),
        check: all(status(200), allowedOrigin),
      },
      {
        key: 'peer',
        short: 'cors',
        name: 'cors',
        build: async () => chain([(await def('cors'))(peerCorsOptions)], textHandler),
        check: all(status(204), allowedOrigin),
      },
    ],
    targets: [{ text: 'req/s >= 0.95x bare server', num: 'mw', den: 'bare', min: 0.95 }],
  },
  gzipScenario(6),
  gzipScenario(9),
  {
    id: 'gzip-stream-1m',
    pkg: 'gzip',
    title: '1 MiB streamed response (piped in 64 KiB chunks), level 6 both',
    connections: 8,
    request: { method: 'GET', path: '/stream', headers: { 'accept-encoding': 'gzip' } },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (uncompressed)',
        build: async () => chain([], streamHandler),
      },
      {
        key: 'mw',
        name: '@mw/gzip (compressLevel: 6)',
        build: async () =>
          chain([(await mod('@mw/gzip')).gzip({ compressLevel: 6 })], streamHandler),
        check: gzipped,
      },
      {
        key: 'peer',
        short: 'compression',
        name: 'compression (level: 6)',
        build: async () => chain([(await def('compression'))({ level: 6 })], streamHandler),
        check: gzipped,
      },
    ],
    targets: [
      { text: 'req/s >= 1.0x compression', num: 'mw', den: 'peer', min: 1 },
      { text: 'peak RSS <= compression', num: 'mw', den: 'peer', rss: true },
    ],
  },
  {
    id: 'session-rmw',
    pkg: 'session',
    title: 'read, modify and write a small session (the client sends its cookie back)',
    session: true,
    request: { method: 'GET', path: '/session', headers: {} },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (no session)',
        build: async () => chain([], sessionHandler),
      },
      {
        key: 'mw',
        name: '@mw/session',
        build: async () =>
          chain([(await mod('@mw/session')).session(mwSessionOptions)], sessionHandler),
        check: all(counted, setsCookie),
      },
      {
        key: 'peer',
        short: 'cookie-session',
        name: 'cookie-session',
        build: async () =>
          chain([(await def('cookie-session'))(cookieSessionOptions)], sessionHandler),
        check: all(counted, setsCookie),
      },
      {
        key: 'peer2',
        short: 'express-session',
        name: 'express-session + MemoryStore',
        build: () => expressSessionChain((expressSession) => new expressSession.MemoryStore()),
        check: all(counted, setsCookie),
      },
    ],
    targets: [
      { text: 'req/s >= 1.5x cookie-session', num: 'mw', den: 'peer', min: 1.5 },
      { text: 'req/s >= 1.0x express-session + MemoryStore', num: 'mw', den: 'peer2', min: 1 },
    ],
  },
  {
    id: 'session-store-rmw',
    pkg: 'session',
    title:
      'read, modify and write a small session kept in Redis (connect-redis + node-redis, one local redis-server)',
    session: true,
    redis: true,
    request: { method: 'GET', path: '/session', headers: {} },
    variants: [
      {
        key: 'mw',
        name: '@mw/session + connect-redis',
        build: async () =>
          chain(
            [
              (await mod('@mw/session')).session({
                ...mwSessionOptions,
                store: await redisStore('mw:'),
              }),
            ],
            sessionHandler,
          ),
        check: all(counted, setsCookie),
      },
      {
        key: 'peer',
        short: 'express-session',
        name: 'express-session + connect-redis',
        build: () => expressSessionChain(() => redisStore('es:')),
        check: all(counted, setsCookie),
      },
    ],
    targets: [
      { text: 'req/s >= 1.3x express-session + connect-redis', num: 'mw', den: 'peer', min: 1.3 },
    ],
  },
  {
    id: 'session-sealed-rmw',
    pkg: 'session',
    title: 'read, modify and write a small session in an encrypted cookie (AES-256-GCM) vs signed',
    session: true,
    request: { method: 'GET', path: '/session', headers: {} },
    variants: [
      {
        key: 'signed',
        short: 'signed',
        name: '@mw/session (signed)',
        build: async () =>
          chain([(await mod('@mw/session')).session(mwSessionOptions)], sessionHandler),
        check: all(counted, setsCookie),
      },
      {
        key: 'mw',
        name: '@mw/session (encrypt: true)',
        build: async () =>
          chain(
            [(await mod('@mw/session')).session({ ...mwSessionOptions, encrypt: true })],
            sessionHandler,
          ),
        check: all(counted, setsCookie),
      },
      {
        key: 'peer',
        short: 'iron-session',
        name: 'iron-session (sealed cookie)',
        build: async () => {
          const { getIronSession } = await mod('iron-session');
          const options = { password: `${SECRET}${SECRET}`, cookieName: 'session', ttl: TWO_WEEKS };
          return async (req, res) => {
            const session = await getIronSession(req, res, options);
            session.count = (session.count ?? 0) + 1;
            await session.save();
            const body = `count=${session.count}`;
            res.setHeader('Content-Type', 'text/plain; charset=utf-8');
            res.setHeader('Content-Length', body.length);
            res.end(body);
          };
        },
        check: all(counted, setsCookie),
      },
    ],
    targets: [
      {
        text: 'encrypted req/s within 1.2x of signed (>= 0.83x)',
        num: 'mw',
        den: 'signed',
        min: 1 / 1.2,
      },
      { text: 'req/s >= 1.0x iron-session', num: 'mw', den: 'peer', min: 1 },
    ],
  },
  {
    id: 'trusted-host-allowed',
    pkg: 'trusted-host',
    title: 'allowed Host',
    request: { method: 'GET', path: '/api/items?page=1', headers: { host: 'www.example.com' } },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http',
        build: async () => chain([], textHandler),
      },
      {
        key: 'mw',
        name: '@mw/trusted-host',
        build: async () =>
          chain(
            [(await mod('@mw/trusted-host')).trustedHost({ allowedHosts: HOSTS })],
            textHandler,
          ),
        check: status(200),
      },
      {
        key: 'peer',
        short: 'host-validation',
        name: 'host-validation',
        build: async () =>
          chain([(await def('host-validation'))(hostValidationOptions)], textHandler),
        check: status(200),
      },
    ],
    targets: [
      { text: 'req/s >= 0.95x bare server', num: 'mw', den: 'bare', min: 0.95 },
      { text: 'req/s >= host-validation', num: 'mw', den: 'peer', min: 1 },
    ],
  },
  {
    id: 'https-redirect-redirect',
    pkg: 'https-redirect',
    title: 'plain-HTTP GET redirected to https://',
    request: { method: 'GET', path: '/account?tab=1', headers: { host: 'example.com' } },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (answers 200 ok)',
        build: async () => chain([], textHandler),
      },
      {
        key: 'mw',
        name: '@mw/https-redirect (307)',
        build: async () => chain([(await mod('@mw/https-redirect')).httpsRedirect()], textHandler),
        check: all(status(307), header('location', 'https://example.com/account?tab=1')),
      },
      {
        key: 'peer',
        short: 'express-sslify',
        name: 'express-sslify (301)',
        build: async () => chain([(await mod('express-sslify')).HTTPS()], textHandler),
        check: all(status(301), header('location', 'https://example.com/account?tab=1')),
      },
    ],
    targets: [
      { text: 'req/s >= 0.95x bare server', num: 'mw', den: 'bare', min: 0.95 },
      { text: 'req/s >= express-sslify', num: 'mw', den: 'peer', min: 1 },
    ],
  },
  {
    id: 'https-redirect-hsts',
    pkg: 'https-redirect',
    title: 'request already on https (X-Forwarded-Proto from a trusted proxy) answered with HSTS',
    request: {
      method: 'GET',
      path: '/account?tab=1',
      headers: { host: 'example.com', 'x-forwarded-proto': 'https' },
    },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http',
        build: async () => chain([], textHandler),
      },
      {
        key: 'mw',
        name: '@mw/https-redirect (trustProxy, hsts)',
        build: async () =>
          chain(
            [
              (await mod('@mw/https-redirect')).httpsRedirect({
                trustProxy: true,
                hsts: hstsOptions,
              }),
            ],
            textHandler,
          ),
        check: all(
          status(200),
          header('strict-transport-security', 'max-age=31536000; includeSubDomains'),
        ),
      },
      {
        key: 'peer',
        short: 'sslify + hsts',
        name: 'express-sslify (trustProtoHeader) + helmet.hsts',
        build: async () => {
          const { hsts } = await mod('helmet');
          const { HTTPS } = await mod('express-sslify');
          return chain([HTTPS({ trustProtoHeader: true }), hsts(hstsOptions)], textHandler);
        },
        check: all(
          status(200),
          header('strict-transport-security', 'max-age=31536000; includeSubDomains'),
        ),
      },
    ],
    targets: [
      { text: 'req/s >= 0.95x bare server', num: 'mw', den: 'bare', min: 0.95 },
      { text: 'req/s >= express-sslify + helmet.hsts', num: 'mw', den: 'peer', min: 1 },
    ],
  },
  {
    id: 'stack-full',
    pkg: 'stack',
    title:
      'all five: allowed Host, https via a trusted proxy, CORS, gzip level 6, session RMW, 4.8 KB JSON',
    session: true,
    request: {
      method: 'GET',
      path: '/api/items?page=1',
      headers: {
        host: 'www.example.com',
        'x-forwarded-proto': 'https',
        origin: ORIGIN,
        'accept-encoding': 'gzip',
      },
    },
    variants: [
      {
        key: 'bare',
        short: 'bare',
        name: 'bare node:http (no middleware)',
        build: async () => chain([], appHandler),
      },
      {
        key: 'mw',
        name: '@mw stack(...all five)',
        build: async () => {
          const { stack } = await mod('@mw/stack');
          const { trustedHost } = await mod('@mw/trusted-host');
          const { httpsRedirect } = await mod('@mw/https-redirect');
          const { cors } = await mod('@mw/cors');
          const { gzip } = await mod('@mw/gzip');
          const { session } = await mod('@mw/session');
          const composed = stack(
            trustedHost({ allowedHosts: HOSTS }),
            httpsRedirect({ trustProxy: true, hsts: hstsOptions }),
            cors(mwCorsOptions),
            gzip({ compressLevel: 6 }),
            session(mwSessionOptions),
          );
          return chain([composed], appHandler);
        },
        check: all(status(200), gzipped, allowedOrigin, setsCookie),
      },
      {
        key: 'peer',
        short: 'peers',
        name: 'host-validation, helmet.hsts, express-sslify, cors, compression, cookie-session',
        build: async () => {
          const { hsts } = await mod('helmet');
          const { HTTPS } = await mod('express-sslify');
          return chain(
            [
              (await def('host-validation'))(hostValidationOptions),
              hsts(hstsOptions),
              HTTPS({ trustProtoHeader: true }),
              (await def('cors'))(peerCorsOptions),
              (await def('compression'))({ level: 6 }),
              (await def('cookie-session'))(cookieSessionOptions),
            ],
            appHandler,
          );
        },
        check: all(status(200), gzipped, allowedOrigin, setsCookie),
      },
    ],
    targets: [{ text: 'req/s >= 1.5x the peers’ stack', num: 'mw', den: 'peer', min: 1.5 }],
  },
];

export const PACKAGES = ['cors', 'gzip', 'session', 'trusted-host', 'https-redirect', 'stack'];
