import type { IncomingMessage } from 'node:http';

/**
 * Whether `req` is an HTTP/1.1 protocol upgrade (a WebSocket handshake, RFC 6455 section 4.1)
 * that Node handed to the server's `'upgrade'` event, where it runs through `upgradeGuard`
 * from `@mw/stack` or engine.io's `io.engine.use(...)`.
 *
 * Node's own flag decides, not the headers: the parser sets `req.upgrade` for `Connection:
 * upgrade` + `Upgrade`, and the server resets it to `false` when it has no `'upgrade'`
 * listener and passes the request to `'request'` as an ordinary one (which it then is: the
 * app answers it over HTTP, so session cookies and redirects behave as usual). `CONNECT` also
 * sets the flag but goes to `'connect'`; it is not an upgrade.
 *
 * Every package asks this one question, so they agree on what an upgrade is: trusted-host
 * makes no www redirect, https-redirect sends `wss://`, session loads but never writes, gzip
 * steps aside and cors refuses cross-site handshakes.
 *
 * @example
 * server.on('upgrade', (req) => isUpgrade(req)); // true
 */
export function isUpgrade(req: IncomingMessage): boolean {
  // `upgrade` is set by Node's HTTP server but missing from @types/node's IncomingMessage.
  return (req as { upgrade?: unknown }).upgrade === true && req.method !== 'CONNECT';
}
