'use strict';
// @mw/https-redirect example: plain HTTP is redirected to HTTPS, and HTTPS answers carry
// Strict-Transport-Security. Run `npm run build` at the repository root once, then:
//   node examples/https-redirect/server.js        (PORT, default 8443)
//
// httpsRedirect() keeps the port (only 80 and 443 are dropped), so http://localhost:8443/
// goes to https://localhost:8443/. To make that one port answer both, a small TCP server
// looks at each connection's first byte: 0x16 opens a TLS handshake and goes to the HTTPS
// server, anything else to the HTTP server. Both run the same Express app.
//
// The certificate is self-signed and made at start with the openssl CLI (Node's crypto can
// read certificates but cannot create one), so the browser warns once; accept it to continue.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const express = require('express');
const { httpsRedirect } = require('@mw/https-redirect');

const port = Number(process.env.PORT || 8443);

/** A throw-away certificate for localhost and 127.0.0.1, valid for one day. */
function selfSignedCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-https-example-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout', keyFile, '-out', certFile,
      ], // prettier-ignore
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) };
  } catch (err) {
    console.error(
      'https-redirect example: could not make a self-signed certificate with the openssl CLI ' +
        `(${err.code === 'ENOENT' ? 'openssl is not installed' : err.message.trim()}).\n` +
        'Install openssl (Debian/Ubuntu: apt-get install openssl; macOS ships LibreSSL) and retry.',
    );
    process.exit(1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const app = express();
app.disable('x-powered-by');
// HSTS with a short max-age: browsers apply HSTS per host name, all ports, so a long one on
// localhost would force every local dev server to https. (They ignore it anyway while the
// certificate is untrusted: RFC 6797 section 8.1.)
app.use(httpsRedirect({ statusCode: 307, hsts: { maxAge: 60 } }));
app.use((req, res) => {
  res.type('html').send(`<!doctype html><meta charset="utf-8"><title>https-redirect</title>
<h1>You are on HTTPS</h1>
<p>You asked for <code>${escapeHtml(req.originalUrl)}</code> over HTTPS. Over plain HTTP the same
request got a <code>307</code> to here.</p>
<p>This response carries <code>Strict-Transport-Security: ${escapeHtml(
    String(res.getHeader('Strict-Transport-Security') || '(none)'),
  )}</code>.</p>`);
});

function escapeHtml(value) {
  return value.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );
}

const httpServer = http.createServer(app);
const httpsServer = https.createServer(selfSignedCertificate(), app);

// One port, two protocols: peek at the first byte, put it back, hand the socket over.
const sockets = new Set();
const front = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.once('readable', () => {
    const first = socket.read(1);
    if (!first) return socket.destroy();
    socket.unshift(first);
    (first[0] === 0x16 ? httpsServer : httpServer).emit('connection', socket);
  });
  socket.on('error', () => socket.destroy());
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`https-redirect example: ${signal} received, stopping`);
  // The HTTP and HTTPS servers never listen themselves: the front server owns the sockets,
  // including a browser's idle keep-alive ones, so it ends them.
  for (const socket of sockets) socket.destroy();
  front.close(() => {
    console.log('https-redirect example: stopped');
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

front.on('error', (err) => {
  console.error(`https-redirect example: could not listen on port ${port}: ${err.message}`);
  process.exit(1);
});
front.listen(port, '127.0.0.1', () => {
  console.log(`https-redirect example: http://localhost:${port}/  redirects to https`);
  console.log(`https-redirect example: https://localhost:${port}/  (self-signed; accept it once)`);
  console.log('https-redirect example: press Ctrl-C to stop');
});
