/**
 * The middleware configurations every framework-native suite mounts, one app per name. Plain
 * CommonJS so that the in-process suites (Fastify, Koa) and the NestJS child process (ESM, which
 * jest cannot load on Node 20) build exactly the same middleware from the built packages.
 */
'use strict';
const { cors } = require('@mw/cors');
const { gzip } = require('@mw/gzip');
const { httpsRedirect } = require('@mw/https-redirect');
const { session } = require('@mw/session');
const { stack } = require('@mw/stack');
const { trustedHost } = require('@mw/trusted-host');

const HOST = 'api.example.com';
const ORIGIN = 'https://app.example.com';

const corsOptions = {
  allowOrigins: [ORIGIN],
  allowMethods: ['GET', 'PUT'],
  allowHeaders: ['X-Custom'],
  allowCredentials: true,
  exposeHeaders: ['X-Request-Id'],
};

/** name -> a function building the middleware list for one app. */
const configs = {
  cors: () => [cors(corsOptions)],
  gzip: () => [gzip()],
  session: () => [session({ secretKey: 'native-secret' })],
  'trusted-host': () => [trustedHost({ allowedHosts: [HOST] })],
  'https-redirect': () => [httpsRedirect({ hsts: { maxAge: 600 } })],
  // In a deliberately wrong order: stack() must still run them safely.
  stack: () => [
    stack(
      session({ secretKey: 'native-secret' }),
      gzip(),
      cors(corsOptions),
      httpsRedirect({ hsts: { maxAge: 600 } }),
      trustedHost({ allowedHosts: [HOST] }),
    ),
  ],
};

/** What the routes answer: a JSON document over gzip's minimum size and a streamed text body. */
const DOCUMENT = {
  items: Array.from({ length: 200 }, (_, id) => ({ id, name: `item ${id}`, tags: ['a', 'b'] })),
};
const STREAM_CHUNKS = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(i * 7)}\n`);

/** The streamed body: chunks written on separate ticks, so the framework really streams. */
async function* streamBody() {
  for (const chunk of STREAM_CHUNKS) {
    await new Promise((resolve) => setImmediate(resolve));
    yield Buffer.from(chunk);
  }
}

/** Session read-modify-write: counts this client's requests. */
function countVisit(req) {
  req.session.count = (Number(req.session.count) || 0) + 1;
  return { count: req.session.count };
}

module.exports = { HOST, ORIGIN, configs, DOCUMENT, STREAM_CHUNKS, streamBody, countVisit };
