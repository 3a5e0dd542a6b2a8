/**
 * WebSocket test helpers (unit and integration): a real `node:http` or `node:https` server whose
 * `'upgrade'` event goes through `upgradeGuard(middleware, ...)` to a `ws` server in `noServer`
 * mode (the set-up `ws` recommends), and a real `ws` client that reports what the handshake got.
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { upgradeGuard } from '@mw/stack';
import type { Middleware } from '@mw/core';
import { WebSocket, WebSocketServer } from 'ws';
import { listenOn } from './http';
import type { Certificate, Listening } from './http';

export interface GuardedOptions {
  /** Serve `wss://` with this certificate. */
  tls?: Certificate;
  /** The first message sent on every connection, from the upgrade request (default `'hello'`). */
  greet?: (req: IncomingMessage) => unknown;
  /** Called in `onAccept`, before `handleUpgrade`. */
  onAccept?: (req: IncomingMessage) => void;
  /** The HTTP side of the same server (default: the middleware, then 200 `OK`). */
  onRequest?: http.RequestListener;
}

export interface GuardedServer extends Listening {
  /** `ws://127.0.0.1:<port>` or `wss://...`. */
  wsUrl: string;
  server: http.Server | https.Server;
  wss: WebSocketServer;
  /** Every upgrade request `onAccept` received. */
  accepted: IncomingMessage[];
  /** Every error `upgradeGuard` reported. */
  errors: unknown[];
}

/** Starts a server whose upgrades pass `upgradeGuard(middleware, ...)` before `ws` takes them. */
export async function guardedServer(
  middleware: Middleware,
  options: GuardedOptions = {},
): Promise<GuardedServer> {
  const onRequest: http.RequestListener =
    options.onRequest ??
    ((req, res) =>
      middleware(req, res, (err) => {
        res.statusCode = err ? 500 : 200;
        res.end(err ? 'error' : 'OK');
      }));
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true });
  const accepted: IncomingMessage[] = [];
  const errors: unknown[] = [];
  wss.on('connection', (ws, req: IncomingMessage) => {
    ws.send(JSON.stringify(options.greet ? options.greet(req) : 'hello'));
  });
  server.on(
    'upgrade',
    upgradeGuard(
      middleware,
      (req, socket, head) => {
        accepted.push(req);
        options.onAccept?.(req);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      },
      (err) => errors.push(err),
    ),
  );
  const listening = await listenOn(server);
  const close = async (): Promise<void> => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    await listening.close();
  };
  const wsUrl = listening.url.replace(/^http/, 'ws');
  return { ...listening, close, wsUrl, server, wss, accepted, errors };
}

/** What a handshake got: an open connection and its first message, or an HTTP answer. */
export type Handshake =
  | { opened: true; status: 101; headers: IncomingHttpHeaders; message: unknown }
  | {
      opened: false;
      status: number;
      headers: IncomingHttpHeaders;
      body: string;
      /** Whether the server closed the connection by itself after answering (within 2 s). */
      closedByServer: boolean;
    };

export interface HandshakeOptions {
  headers?: Record<string, string>;
  /** Trusted CA for `wss://` (the test's self-signed certificate). */
  ca?: string;
  path?: string;
}

/** Opens a WebSocket with the `ws` client and reports the outcome; the connection is closed. */
export function handshake(url: string, options: HandshakeOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url + (options.path ?? '/'), {
      headers: options.headers,
      ca: options.ca,
    });
    let headers: IncomingHttpHeaders = {};
    ws.on('upgrade', (res) => {
      headers = res.headers;
    });
    ws.once('message', (data) => {
      resolve({ opened: true, status: 101, headers, message: parseMessage(String(data)) });
      ws.close();
    });
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const socket = res.socket;
        const done = (closedByServer: boolean): void => {
          clearTimeout(timer);
          req.destroy();
          resolve({
            opened: false,
            status: res.statusCode!,
            headers: res.headers,
            body,
            closedByServer,
          });
        };
        const timer = setTimeout(() => done(false), 2000);
        if (socket.destroyed) done(true);
        else socket.once('close', () => done(true));
      });
    });
    ws.on('error', reject);
  });
}

/** A JSON message as its value; any other text as it is. */
function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A middleware that changes the session, then calls `save`, `regenerate` and `destroy` in turn,
 * collecting what each calls back with into `results`, then hands on.
 */
export function sessionWrites(results: unknown[]): Middleware {
  return (req, _res, next) => {
    req.session.user = 'mallory';
    req.session.save((saved) => {
      results.push(saved);
      req.session.regenerate((regenerated) => {
        results.push(regenerated);
        req.session.destroy((destroyed) => {
          results.push(destroyed);
          next();
        });
      });
    });
  };
}
