/**
 * session and gzip on WebSocket handshakes through `upgradeGuard` and a real `ws` server and
 * client: the session is loaded and readable in onAccept and in the connection handler and never
 * written; gzip leaves the handshake and its answers alone.
 */
import type { IncomingMessage, RequestListener } from 'node:http';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import type { Middleware } from '@mw/core';
import request from 'supertest';
import { guardedServer, handshake, sessionWrites } from '../../test-support/websocket';
import type { GuardedServer } from '../../test-support/websocket';

let server: GuardedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sessions = session({ secretKey: 'websocket-tests' });

/** `GET /login?user=x` stores the user in the session over plain HTTP. */
function loginApp(mw: Middleware): RequestListener {
  return (req, res) =>
    mw(req, res, () => {
      const user = new URL(req.url!, 'http://x').searchParams.get('user');
      if (user) req.session.user = user;
      res.end('OK');
    });
}

async function login(url: string, user: string): Promise<string> {
  const res = await request(url).get(`/login?user=${user}`);
  return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
}

describe('session(options) on a WebSocket upgrade', () => {
  it('is readable in onAccept and in the connection handler, and nothing is written', async () => {
    const inAccept: unknown[] = [];
    server = await guardedServer(sessions, {
      onRequest: loginApp(sessions),
      onAccept: (req) => inAccept.push(req.session.user),
      greet: (req) => ({ user: req.session.user }),
    });
    const cookie = await login(server.url, 'ada');
    const result = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
    expect(result).toMatchObject({ opened: true, message: { user: 'ada' } });
    expect(inAccept).toEqual(['ada']);
    expect(result.headers['set-cookie']).toBeUndefined();
    expect(result.headers.vary).toBeUndefined();
  });

  it('writes no cookie even when the handshake changes the session', async () => {
    server = await guardedServer(sessions, {
      onRequest: loginApp(sessions),
      onAccept: (req) => {
        req.session.user = 'mallory';
        req.session = { other: true };
      },
    });
    const cookie = await login(server.url, 'ada');
    const result = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
    expect(result).toMatchObject({ opened: true });
    expect(result.headers['set-cookie']).toBeUndefined();
  });

  it('calls save(cb), regenerate(cb) and destroy(cb) back with an error that says why', async () => {
    const saved: unknown[] = [];
    server = await guardedServer(stack(sessions, sessionWrites(saved)));
    expect(await handshake(server.wsUrl)).toMatchObject({ opened: true });
    expect(saved).toHaveLength(3);
    for (const err of saved) {
      expect(String(err)).toMatch(/cannot be written on a WebSocket upgrade/);
      expect(err).toHaveProperty('code', 'ERR_MW_SESSION_UPGRADE');
    }
  });

  it('gives an empty session for a tampered cookie and still opens', async () => {
    server = await guardedServer(sessions, {
      onRequest: loginApp(sessions),
      greet: (req) => ({ ...req.session }),
    });
    const cookie = await login(server.url, 'ada');
    const tampered = cookie.replace(/.(?=\.)/, (c) => (c === 'A' ? 'B' : 'A'));
    const result = await handshake(server.wsUrl, { headers: { Cookie: tampered } });
    expect(result).toMatchObject({ opened: true, message: {} });
  });

  it('still writes cookies for plain HTTP requests on the same server', async () => {
    server = await guardedServer(sessions, { onRequest: loginApp(sessions) });
    expect(await login(server.url, 'ada')).toMatch(/^session=/);
  });
});

describe('gzip(options) on a WebSocket upgrade', () => {
  const longRefusal: Middleware = (req: IncomingMessage, res, next) => {
    if (!req.url!.startsWith('/refuse')) return next();
    res.setHeader('Content-Type', 'text/plain');
    res.end('refused '.repeat(200));
  };

  it('opens the connection untouched (no Vary, no Content-Encoding on the 101)', async () => {
    server = await guardedServer(stack(gzip({ minimumSize: 0 }), longRefusal));
    const result = await handshake(server.wsUrl, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(result).toMatchObject({ opened: true, message: 'hello' });
    expect(result.headers.vary).toBeUndefined();
    expect(result.headers['content-encoding']).toBeUndefined();
  });

  it('leaves a refusal written by a later middleware uncompressed', async () => {
    server = await guardedServer(stack(gzip({ minimumSize: 0 }), longRefusal));
    const result = await handshake(server.wsUrl, {
      headers: { 'Accept-Encoding': 'gzip' },
      path: '/refuse',
    });
    expect(result).toMatchObject({ opened: false, status: 200, body: 'refused '.repeat(200) });
    expect(result.headers['content-encoding']).toBeUndefined();
    expect(result.headers.vary).toBeUndefined();
  });

  it('still compresses plain HTTP responses on the same server', async () => {
    server = await guardedServer(stack(gzip({ minimumSize: 0 }), longRefusal));
    const res = await request(server.url).get('/refuse').set('Accept-Encoding', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
  });
});
