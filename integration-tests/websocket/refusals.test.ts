/**
 * No socket outlives a refused handshake: 1,000 refusals of every kind (bad Host 400, cross-site
 * 403, ws:// redirect, next(err) 500), from clients that never close their own side (raw sockets
 * with allowHalfOpen) and from the `ws` client, leave the server with no connection and the
 * process with no more socket handles than before.
 */
import net from 'node:net';
import { cors } from '@mw/cors';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import type { Middleware } from '@mw/core';
import { guardedServer, handshake } from '../../test-support/websocket';
import type { GuardedServer } from '../../test-support/websocket';

const TOTAL = 1000;
const BATCH = 50;

const failOnPath: Middleware = (req, _res, next) =>
  next(req.url === '/fail' ? new Error('refused by the app') : undefined);

/** Kinds of refusal: headers to send, the path, and the status expected. */
const KINDS: [Record<string, string>, string, number][] = [
  [{ Host: 'evil.example' }, '/', 400],
  [{ Origin: 'https://evil.example', 'X-Forwarded-Proto': 'https' }, '/', 403],
  [{}, '/', 307],
  [{ 'X-Forwarded-Proto': 'https' }, '/fail', 500],
];

/** A client that never ends its side: resolves with the status once the server has closed. */
function rawRefusal(port: number, headers: Record<string, string>, path: string): Promise<number> {
  const lines = Object.entries({ Host: '127.0.0.1', ...headers }).map(([n, v]) => `${n}: ${v}`);
  const head = [
    `GET ${path} HTTP/1.1`,
    ...lines,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server left the refused socket open'));
    }, 5000);
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]));
    });
    socket.write(`${head}\r\n\r\n`);
  });
}

function openConnections(s: GuardedServer): Promise<number> {
  return new Promise((resolve, reject) =>
    s.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

function socketHandles(): number {
  return process.getActiveResourcesInfo().filter((type) => type.startsWith('TCPSocket')).length;
}

describe('upgradeGuard under 1,000 refused handshakes', () => {
  let server: GuardedServer;
  beforeAll(async () => {
    const mw = stack(
      trustedHost({ allowedHosts: ['127.0.0.1'] }),
      httpsRedirect({ trustProxy: true }),
      cors(),
      session({ secretKey: 'leaks' }),
      failOnPath,
    );
    server = await guardedServer(mw);
  });
  afterAll(() => server.close());

  it('answers every one, closes every socket and keeps no handle', async () => {
    const before = socketHandles();
    const statuses = new Map<number, number>();
    const started = Date.now();
    for (let i = 0; i < TOTAL; i += BATCH) {
      const batch = Array.from({ length: BATCH }, async (_, j) => {
        const [headers, path, expected] = KINDS[(i + j) % KINDS.length]!;
        // One in five goes through the real ws client, the rest never close their side.
        const status =
          (i + j) % 5 === 0
            ? (await handshake(server.wsUrl, { headers, path })).status
            : await rawRefusal(server.port, headers, path);
        expect(status).toBe(expected);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      await Promise.all(batch);
    }
    const elapsed = Date.now() - started;
    // The server closes its side within the handshake; give the last FINs a moment.
    for (
      let i = 0;
      i < 50 && ((await openConnections(server)) > 0 || socketHandles() > before);
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await openConnections(server)).toBe(0);
    expect(socketHandles()).toBeLessThanOrEqual(before);
    expect([...statuses.values()].reduce((a, b) => a + b)).toBe(TOTAL);
    expect(Object.fromEntries(statuses)).toEqual({ 400: 250, 403: 250, 307: 250, 500: 250 });
    expect(server.accepted).toHaveLength(0);
    expect(server.errors).toHaveLength(250);
    expect(elapsed).toBeLessThan(20000);
  });
});
