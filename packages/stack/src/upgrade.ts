import { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { sendText } from '@mw/core';
import type { Middleware } from '@mw/core';
import { asError, isThenable } from './stack';

/** A listener for a server's `'upgrade'` event: `server.on('upgrade', listener)`. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** What runs once the middleware let an upgrade through, e.g. `wss.handleUpgrade(...)`. */
export type AcceptUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Told of an error that answered an upgrade 500 (or of a throw from `onAccept`). */
export type UpgradeErrorHandler = (err: unknown, req: IncomingMessage) => void;

/**
 * Runs `middleware` (one middleware or a `stack(...)`) on every WebSocket handshake, which
 * Node hands to the server's `'upgrade'` event where no Express middleware runs.
 *
 * The middleware gets a real `ServerResponse` attached to the upgrade's socket, so whatever it
 * answers (`400 Invalid host header`, a redirect to `wss://`, `403 Disallowed WebSocket
 * origin`) is written to the client as an ordinary HTTP response, with `Connection: close`,
 * and the socket is then closed. When it calls `next()` instead, the response is detached and
 * `onAccept(req, socket, head)` runs with the socket untouched (a socket the client already
 * closed is not handed on). `next(err)`, a throw or a rejected promise answers
 * `500 Internal Server Error` and closes the socket; `onAccept` never runs then.
 *
 * Errors go to `onError(err, req)`, by default `console.error` (as Express's final handler
 * logs them); a throw from `onAccept` also goes there, and its socket is destroyed.
 *
 * @example
 * ```ts
 * const wss = new WebSocketServer({ noServer: true });
 * server.on('upgrade', upgradeGuard(stack(trustedHost({ allowedHosts }), session({ secretKey })),
 *   (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))));
 * ```
 * @throws TypeError when `middleware`, `onAccept` or a given `onError` is not a function.
 */
export function upgradeGuard(
  middleware: Middleware,
  onAccept: AcceptUpgrade,
  onError: UpgradeErrorHandler = logError,
): UpgradeListener {
  if (typeof middleware !== 'function') {
    throw new TypeError(
      '@mw/stack: upgradeGuard(middleware, onAccept): middleware must be a function',
    );
  }
  if (typeof onAccept !== 'function') {
    throw new TypeError(
      '@mw/stack: upgradeGuard(middleware, onAccept): onAccept must be a function',
    );
  }
  if (typeof onError !== 'function') {
    throw new TypeError(
      '@mw/stack: upgradeGuard(middleware, onAccept, onError): onError must be a function',
    );
  }

  return function guardUpgrade(req, socket, head) {
    // A handshake pipelined behind a request whose response is still being written: the socket
    // cannot carry a second response (assignSocket would throw and crash the process), and no
    // WebSocket client pipelines its handshake. Drop the connection.
    if ((socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    // Node removed its own listeners from an upgraded socket: a reset must not crash the process.
    socket.on('error', destroyOnError);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false; // answered upgrades are never reused: `Connection: close`
    res.assignSocket(socket as Socket);
    res.once('finish', () => closeSocket(socket));
    let settled = false;
    const next = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err) return fail(err);
      // The middleware answered and still called next(): its answer stands.
      if (res.headersSent || res.writableEnded) return;
      res.detachSocket(socket as Socket);
      socket.removeListener('error', destroyOnError);
      if (socket.destroyed) return;
      try {
        onAccept(req, socket, head);
      } catch (thrown) {
        socket.destroy();
        onError(thrown, req);
      }
    };
    const fail = (err: unknown): void => {
      onError(err, req);
      if (res.headersSent) socket.destroy();
      else sendText(res, 500, 'Internal Server Error');
    };
    try {
      const result: unknown = middleware(req, res, next);
      if (isThenable(result)) result.then(undefined, (reason: unknown) => next(asError(reason)));
    } catch (thrown) {
      next(asError(thrown));
    }
  };
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Half-close after the answer is flushed, then release the socket (as `ws`'s abortHandshake). */
function closeSocket(socket: Duplex): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

function logError(err: unknown): void {
  console.error(err);
}
