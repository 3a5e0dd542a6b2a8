'use strict';
// The demo's two apps: the main Express 5 app behind the full @mw stack, and a tiny plain
// node:http app that serves a page from another origin (same page, two host names: one the
// CORS policy allows, one it does not).
const crypto = require('node:crypto');
const zlib = require('node:zlib');
const express = require('express');
const { WebSocketServer } = require('ws');
const { stack, upgradeGuard } = require('@mw/stack');
const { trustedHost } = require('@mw/trusted-host');
const { cors } = require('@mw/cors');
const { gzip } = require('@mw/gzip');
const { session } = require('@mw/session');
const { mainPage, otherOriginPage } = require('./pages');

/**
 * zstd first where this Node's zlib has it (22.15 and newer; Chromium offers it), then brotli,
 * then gzip. gzip() would skip an unavailable zstd silently; the page says what was configured.
 */
const ENCODINGS =
  typeof zlib.zstdCompressSync === 'function' ? ['zstd', 'br', 'gzip'] : ['br', 'gzip'];

/** About 150 KB of JSON: big enough that compression is worth watching. */
function bigDocument() {
  const items = [];
  for (let i = 0; i < 1500; i++) {
    items.push({ id: i, name: `item ${i}`, tags: ['alpha', 'beta', 'gamma'], price: i * 1.25 });
  }
  return { generated: new Date().toISOString(), count: items.length, items };
}

/**
 * @param {{ port: number, secret: string }} config
 * @returns {{ main: import('express').Express, other: import('node:http').RequestListener,
 *   upgrade: (req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void,
 *   closeSockets: () => void, origins: Record<string, string> }}
 */
function createApps({ port, secret }) {
  const otherPort = port + 1;
  const origins = {
    main: `http://localhost:${port}`,
    allowed: `http://localhost:${otherPort}`,
    refused: `http://127.0.0.1:${otherPort}`,
  };

  // What the server actually sent for each /api/big request, so the page can show it.
  const sent = new Map();

  // Passed in any order: stack() runs trusted-host, cors, gzip, session in that order.
  const policy = stack(
    session({ secretKey: secret, sessionCookie: 'demo_session' }),
    gzip({ encodings: ENCODINGS }),
    cors({
      allowOrigins: [origins.allowed],
      allowMethods: ['GET', 'PUT'],
      allowHeaders: ['X-Demo'],
      exposeHeaders: ['X-Served-By'],
    }),
    trustedHost({ allowedHosts: ['localhost'] }),
  );
  const main = express();
  main.disable('x-powered-by');
  main.use(policy);

  main.get('/', (req, res) => {
    const visits = (Number(req.session.visits) || 0) + 1;
    req.session.visits = visits;
    if (typeof req.session.user !== 'string') {
      req.session.user = `visitor-${crypto.randomBytes(3).toString('hex')}`;
    }
    res
      .type('html')
      .send(mainPage({ visits, user: req.session.user, origins, encodings: ENCODINGS }));
  });

  main.post('/logout', (req, res) => {
    req.session = null;
    res.redirect(303, '/');
  });

  main.get('/api/big', (req, res) => {
    const id = String(req.query.id || '');
    res.on('finish', () => {
      if (sent.size > 100) sent.delete(sent.keys().next().value);
      sent.set(id, {
        contentEncoding: res.getHeader('Content-Encoding') || 'identity',
        acceptEncoding: req.headers['accept-encoding'] || '',
      });
    });
    res.json(bigDocument());
  });

  main.get('/api/sent', (req, res) => {
    res.json(sent.get(String(req.query.id || '')) || null);
  });

  main.all('/api/hello', (req, res) => {
    res.set('X-Served-By', 'the @mw demo');
    res.json({ message: `Hello, ${req.headers.origin || 'same origin'}!`, method: req.method });
  });

  /** @type {import('node:http').RequestListener} */
  const other = (req, res) => {
    if (req.method !== 'GET' || (req.url !== '/' && !req.url.startsWith('/?'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const self = `http://${req.headers.host}`;
    const page = otherOriginPage({ self, origins, allowed: self === origins.allowed });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  };

  // WebSockets on /live: the same policy runs on every handshake (upgradeGuard), so a bad Host
  // gets 400 and a page from another site 403; the session is readable, never written.
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws, req) => {
    const send = (message) => ws.send(JSON.stringify(message));
    send({ kind: 'hello', user: req.session.user || null, origin: req.headers.origin || null });
    const timer = setInterval(() => send({ kind: 'tick', time: new Date().toISOString() }), 1000);
    ws.on('close', () => clearInterval(timer));
  });
  const upgrade = upgradeGuard(policy, (req, socket, head) => {
    if (req.url !== '/live') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const closeSockets = () => {
    for (const ws of wss.clients) ws.terminate();
  };

  return { main, other, upgrade, closeSockets, origins };
}

module.exports = { createApps };
