'use strict';
// The @mw demo: `npm start` at the repository root builds the packages and runs this file.
//   PORT            the main app's port (default 3000); the other-origin page uses PORT + 1
//   SESSION_SECRET  the session signing key (default: a random one for this run)
const http = require('node:http');
const crypto = require('node:crypto');
const { createApps } = require('./app');

const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65534) {
  console.error(`demo: PORT must be an integer from 1 to 65534, got ${process.env.PORT}`);
  process.exit(1);
}

let secret = process.env.SESSION_SECRET;
if (!secret) {
  secret = crypto.randomBytes(32).toString('base64url');
  console.log(
    'demo: SESSION_SECRET is not set, so a random secret was generated for this run;' +
      ' sessions will not survive a restart. Set SESSION_SECRET to keep them.',
  );
}

const { main, other, upgrade, closeSockets, origins } = createApps({ port, secret });
// Loopback only: this is a demo, not a server to expose. Both host names used below
// (localhost and 127.0.0.1) reach 127.0.0.1.
const servers = [http.createServer(main), http.createServer(other)];
servers[0].on('upgrade', upgrade);

function listen(server, portNumber) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(portNumber, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`demo: ${signal} received, stopping`);
  // A browser keeps idle keep-alive connections open; close them so the servers can finish.
  closeSockets(); // open WebSockets, which closeAllConnections() does not track
  let open = servers.length;
  for (const server of servers) {
    server.close(() => {
      if (--open === 0) {
        console.log('demo: stopped');
        process.exit(0);
      }
    });
    server.closeAllConnections();
  }
  setTimeout(() => process.exit(0), 3000).unref();
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

Promise.all([listen(servers[0], port), listen(servers[1], port + 1)]).then(
  () => {
    console.log(`demo: main app         ${origins.main}/`);
    console.log(`demo: other origin     ${origins.allowed}/  (allowed by CORS)`);
    console.log(`demo: other origin     ${origins.refused}/  (refused by CORS)`);
    console.log('demo: press Ctrl-C to stop');
  },
  (err) => {
    console.error(`demo: could not listen on ports ${port} and ${port + 1}: ${err.message}`);
    for (const server of servers) server.close();
    process.exitCode = 1;
  },
);
