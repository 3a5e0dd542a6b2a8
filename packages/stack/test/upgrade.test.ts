import net from 'node:net';
import type { Middleware } from '@mw/core';
import { upgradeGuard } from '@mw/stack';
import { selfSignedCertificate } from '../../../test-support/http';
import { guardedServer, handshake } from '../../../test-support/websocket';
import type { GuardedServer } from '../../../test-support/websocket';

const pass: Middleware = (_req, _res, next) => next();
const answer400: Middleware = (_req, res) => {
  res.statusCode = 400;
  res.end('no');
};

let server: GuardedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function guard(mw: Middleware, tls = false): Promise<GuardedServer> {
  server = await guardedServer(mw, tls ? { tls: certificate } : {});
  return server;
}
const certificate = selfSignedCertificate();

/** A WebSocket handshake and, in the same write, one masked text frame `text` (RFC 6455 5.2). */
function rawHandshakeWithFrame(port: number, text: string): Promise<string> {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
  const head =
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(Buffer.concat([Buffer.from(head), frame])),
    );
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

describe('upgradeGuard(middleware, onAccept)', () => {
  describe('when an argument is not a function', () => {
    it.each([
      ['middleware', [undefined, () => {}]],
      ['middleware', [{}, () => {}]],
      ['onAccept', [pass, undefined]],
      ['onAccept', [pass, 'wss']],
      ['onError', [pass, () => {}, 42]],
    ])('throws a TypeError naming %s', (name, args) => {
      const call = () => (upgradeGuard as (...a: unknown[]) => unknown)(...args);
      expect(call).toThrow(TypeError);
      expect(call).toThrow(new RegExp(`@mw/stack: .*${name} must be a function`));
    });
  });

  describe('when the middleware calls next()', () => {
    it('calls onAccept, and ws opens the connection on the untouched socket', async () => {
      const { wsUrl, accepted } = await guard(pass);
      const result = await handshake(wsUrl, { path: '/chat?room=1' });
      expect(result).toMatchObject({ opened: true, status: 101, message: 'hello' });
      expect(accepted.map((req) => req.url)).toEqual(['/chat?room=1']);
    });

    it('hands onAccept the bytes that came after the head (the first frame)', async () => {
      const messages: string[] = [];
      const s = await guard(pass);
      s.wss.on('connection', (ws) => ws.on('message', (data) => messages.push(String(data))));
      const response = await rawHandshakeWithFrame(s.port, 'early frame');
      expect(response).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      await waitFor(() => messages.length > 0);
      expect(messages).toEqual(['early frame']);
    });

    it('accepts after an asynchronous middleware calls next() later', async () => {
      const { wsUrl } = await guard((_req, _res, next) => setTimeout(() => next(), 20));
      expect(await handshake(wsUrl)).toMatchObject({ opened: true });
    });

    it('does not hand on a socket the client closed while the middleware was running', async () => {
      let release: () => void = () => {};
      const s = await guard((req, _res, next) => {
        release = () => next();
        req.socket.destroy(); // stands for a client that left
      });
      await expect(handshake(s.wsUrl)).rejects.toThrow();
      release();
      expect(s.accepted).toHaveLength(0);
    });
  });

  describe('when the middleware answers', () => {
    it('writes the answer with Connection: close, closes the socket and never calls onAccept', async () => {
      const { wsUrl, accepted } = await guard(answer400);
      const result = await handshake(wsUrl);
      expect(result).toMatchObject({
        opened: false,
        status: 400,
        body: 'no',
        closedByServer: true,
      });
      expect(result.headers.connection).toBe('close');
      expect(accepted).toHaveLength(0);
    });

    it('keeps the answer when the middleware also calls next()', async () => {
      const { wsUrl, accepted } = await guard((req, res, next) => {
        answer400(req, res, next);
        next();
      });
      expect(await handshake(wsUrl)).toMatchObject({ opened: false, status: 400 });
      expect(accepted).toHaveLength(0);
    });
  });

  describe.each([
    ['calls next(err)', ((_req, _res, next) => next(new Error('boom'))) as Middleware],
    [
      'throws',
      (() => {
        throw new Error('boom');
      }) as Middleware,
    ],
    ['returns a rejected promise', (async () => Promise.reject(new Error('boom'))) as Middleware],
  ])('when the middleware %s', (_name, mw) => {
    it('answers 500, closes the socket, reports the error and never calls onAccept', async () => {
      const { wsUrl, accepted, errors } = await guard(mw);
      expect(await handshake(wsUrl)).toMatchObject({
        opened: false,
        status: 500,
        body: 'Internal Server Error',
        closedByServer: true,
      });
      expect(accepted).toHaveLength(0);
      expect(errors).toEqual([new Error('boom')]);
    });
  });

  describe('when the handshake is pipelined behind a request still being answered', () => {
    it('drops the connection without crashing, and the server keeps serving', async () => {
      const s = await guard(answer400);
      s.server.removeAllListeners('request');
      s.server.on('request', (_req, res) => setTimeout(() => res.end('slow'), 100));
      const closed = await new Promise<boolean>((resolve) => {
        const socket = net.connect(s.port, '127.0.0.1', () =>
          socket.write(
            'GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
              'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
          ),
        );
        socket.on('error', () => {});
        socket.on('close', () => resolve(true));
        setTimeout(() => resolve(false), 2000);
      });
      expect(closed).toBe(true);
      expect(await handshake(s.wsUrl)).toMatchObject({ status: 400, body: 'no' });
    });
  });

  describe('when onAccept throws', () => {
    it('destroys the socket and reports the error', async () => {
      const s = await guard(pass);
      s.server.removeAllListeners('upgrade');
      const errors: unknown[] = [];
      s.server.on(
        'upgrade',
        upgradeGuard(
          pass,
          () => {
            throw new Error('accept failed');
          },
          (err) => errors.push(err),
        ),
      );
      await expect(handshake(s.wsUrl)).rejects.toThrow(/socket hang up/);
      expect(errors).toEqual([new Error('accept failed')]);
    });
  });

  describe('over TLS (wss://)', () => {
    it('answers a refusal on the TLS socket and closes it', async () => {
      const { wsUrl } = await guard(answer400, true);
      expect(wsUrl).toMatch(/^wss:/);
      expect(await handshake(wsUrl, { ca: certificate.cert })).toMatchObject({
        opened: false,
        status: 400,
        body: 'no',
        closedByServer: true,
      });
    });

    it('opens an accepted connection', async () => {
      const { wsUrl } = await guard(pass, true);
      expect(await handshake(wsUrl, { ca: certificate.cert })).toMatchObject({ opened: true });
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
