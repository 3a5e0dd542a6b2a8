/**
 * Shared test helpers (unit and integration): a bare `node:http` (or `node:https`) server around one middleware, raw requests
 * for what supertest cannot send (several Host lines, no Host, raw bytes in the target), and a
 * throw-away self-signed certificate made with the `openssl` CLI (Node cannot create X.509).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Middleware } from '@mw/core';

/** Starlette's test app: `PlainTextResponse("OK")`; a `next(err)` becomes a 500. */
function app(mw: Middleware): http.RequestListener {
  return (req, res) =>
    mw(req, res, (err) => {
      res.statusCode = err ? 500 : 200;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(err ? `error: ${String(err)}` : 'OK');
    });
}

export function serve(mw: Middleware, options: http.ServerOptions = {}): http.Server {
  return http.createServer(options, app(mw));
}

export function serveTls(mw: Middleware, cert: Certificate): https.Server {
  return https.createServer({ key: cert.key, cert: cert.cert }, app(mw));
}

/** A server listening on an ephemeral loopback port. */
export interface Listening {
  url: string;
  port: number;
  /** Closes the server, dropping kept-alive connections. */
  close(): Promise<void>;
}

/** Starts `server` on an ephemeral port of 127.0.0.1. */
export function listenOn(server: http.Server | https.Server): Promise<Listening> {
  const scheme = server instanceof https.Server ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface Certificate {
  key: string;
  cert: string;
}

/** A one-day self-signed certificate for localhost and 127.0.0.1 (`$OPENSSL`, else openssl). */
export function selfSignedCertificate(): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    process.env.OPENSSL || 'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore' },
  );
  const result = { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

export interface RawResponse {
  status: number;
  /** Header lines as sent, `name: value`, in order. */
  headers: string[];
  /** The first value of a header, by case-insensitive name. */
  header(name: string): string | undefined;
  body: string;
}

/**
 * Sends `head` (request line and header lines, without the blank line) byte for byte (latin1)
 * and parses the response. `Connection: close` is added so the server ends the exchange.
 */
export async function rawRequest(
  server: http.Server | https.Server,
  head: string[],
): Promise<RawResponse> {
  const { port, close } = await listenOn(server);
  const secure = server instanceof https.Server;
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = secure
        ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
        : net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
      socket.write(Buffer.from(`${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n`, 'latin1'));
    });
    return parseResponse(text);
  } finally {
    await close();
  }
}

function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headers] = text.slice(0, end).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const header = (name: string): string | undefined => {
    const line = headers.find((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line?.slice(name.length + 1).trim();
  };
  return { status, headers, header, body: text.slice(end + 4) };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the listener is closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() !== undefined));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
