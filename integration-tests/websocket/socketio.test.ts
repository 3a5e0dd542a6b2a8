/**
 * socket.io: `io.engine.use(stack(...))` runs the collection on engine.io's HTTP long-polling
 * requests and on its WebSocket handshakes (with engine.io's own small response object, which
 * cannot carry a status: a refusal closes the handshake). Driven by socket.io-client over each
 * transport, and over polling upgraded to WebSocket.
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '@mw/cors';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import type { Middleware } from '@mw/core';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import request from 'supertest';

interface Hello {
  user: unknown;
  transport: string;
}

interface Running {
  url: string;
  io: Server;
  close(): Promise<void>;
}

const secretKey = 'socket.io-tests';

/** An http server with `GET /login?user=x` and socket.io, guarded by `io.engine.use(...)`. */
async function start(allowedHosts: string[], ...more: Middleware[]): Promise<Running> {
  const guard = stack(trustedHost({ allowedHosts }), cors(), session({ secretKey }), ...more);
  const server = http.createServer((req, res) =>
    guard(req, res, () => {
      const user = new URL(req.url!, 'http://x').searchParams.get('user');
      if (user) req.session.user = user;
      res.end('OK');
    }),
  );
  const io = new Server(server);
  io.engine.use(guard);
  io.on('connection', (socket) => {
    const hello = (): Hello => ({
      user: socket.request.session.user,
      transport: socket.conn.transport.name,
    });
    socket.emit('hello', hello());
    socket.on('again', (ack: (hello: Hello) => void) => ack(hello()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    io,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
}

function connected(socket: Socket): Promise<Hello> {
  return new Promise((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
  });
}

let running: Running | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await running?.close();
  running = undefined;
});

function client(url: string, options: Parameters<typeof connect>[1]): Socket {
  const socket = connect(url, { reconnection: false, forceNew: true, ...options });
  clients.push(socket);
  return socket;
}

async function login(url: string): Promise<string> {
  const res = await request(url).get('/login?user=ada');
  return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
}

describe('io.engine.use(stack(...)) under socket.io', () => {
  describe.each([['polling'], ['websocket']])('over the %s transport', (transport) => {
    it('connects with socket.request.session readable', async () => {
      running = await start(['127.0.0.1']);
      const cookie = await login(running.url);
      const socket = client(running.url, {
        transports: [transport],
        extraHeaders: { Cookie: cookie },
      });
      expect(await connected(socket)).toEqual({ user: 'ada', transport });
    });

    it('refuses the handshake when the Host is not allowed', async () => {
      running = await start(['example.com']);
      const socket = client(running.url, { transports: [transport] });
      await expect(connected(socket)).rejects.toThrow(
        transport === 'polling' ? /xhr poll error/ : /websocket error/,
      );
      expect(running.io.engine.clientsCount).toBe(0);
    });
  });

  it('refuses a cross-site WebSocket handshake (closed, as engine.io cannot send a status)', async () => {
    running = await start(['127.0.0.1']);
    const socket = client(running.url, {
      transports: ['websocket'],
      extraHeaders: { Origin: 'https://evil.example' },
    });
    await expect(connected(socket)).rejects.toThrow(/websocket error/);
    const own = client(running.url, {
      transports: ['websocket'],
      extraHeaders: { Origin: running.url },
    });
    expect(await connected(own)).toMatchObject({ transport: 'websocket' });
  });

  it('writes no cookie on a WebSocket handshake that changes the session', async () => {
    const touch: Middleware = (req, _res, next) => {
      req.session.touched = true;
      next();
    };
    running = await start(['127.0.0.1'], touch);
    const upgradeHeaders: Record<string, unknown>[] = [];
    running.io.engine.on('headers', (headers: Record<string, unknown>, req: IncomingMessage) => {
      if (req.headers.upgrade) upgradeHeaders.push({ ...headers });
    });
    const cookie = await login(running.url);
    const socket = client(running.url, {
      transports: ['websocket'],
      extraHeaders: { Cookie: cookie },
    });
    expect(await connected(socket)).toEqual({ user: 'ada', transport: 'websocket' });
    expect(upgradeHeaders).toHaveLength(1);
    expect(Object.keys(upgradeHeaders[0]!).map((name) => name.toLowerCase())).not.toContain(
      'set-cookie',
    );
  });

  it('keeps the session readable after polling upgrades to WebSocket', async () => {
    running = await start(['127.0.0.1']);
    const cookie = await login(running.url);
    const socket = client(running.url, {
      transports: ['polling', 'websocket'],
      extraHeaders: { Cookie: cookie },
    });
    expect(await connected(socket)).toEqual({ user: 'ada', transport: 'polling' });
    if (socket.io.engine.transport.name !== 'websocket') {
      await new Promise((resolve) => socket.io.engine.once('upgrade', resolve));
    }
    const again = await socket.timeout(2000).emitWithAck('again');
    expect(again).toEqual({ user: 'ada', transport: 'websocket' });
  });
});
