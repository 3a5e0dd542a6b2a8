/**
 * session({ store }) on WebSocket handshakes: a real Redis (Debian's redis-server, started here)
 * behind connect-redis, a real `ws` server behind `upgradeGuard` and a real `ws` client. The
 * handshake reads the stored session with one GET and sends Redis nothing else, whatever the
 * handler does with the session.
 */
import type { RequestListener } from 'node:http';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionStore } from '@mw/session';
import type { Middleware } from '@mw/core';
import { stack } from '@mw/stack';
import { startRedis } from '../../test-support/redis';
import type { RedisServer } from '../../test-support/redis';
import { guardedServer, handshake, sessionWrites } from '../../test-support/websocket';
import type { GuardedServer } from '../../test-support/websocket';

let redis: RedisServer;
let redisClient: ReturnType<typeof createClient>;
let probe: ReturnType<typeof createClient>;
let sessions: Middleware;
let server: GuardedServer | undefined;

beforeAll(async () => {
  redis = await startRedis();
  redisClient = createClient({ url: redis.url });
  redisClient.on('error', () => undefined); // reconnect noise while a test stops Redis
  await redisClient.connect();
  probe = createClient({ url: redis.url });
  probe.on('error', () => undefined);
  await probe.connect();
  const store = new RedisStore({ client: redisClient, prefix: 'ws:' });
  sessions = session({
    secretKey: 'websocket-store',
    store: store as unknown as SessionStore,
    storeTimeout: 1000,
  });
});

afterAll(async () => {
  redisClient.destroy();
  probe.destroy();
  await redis.close();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `GET /login?user=x` stores the user over plain HTTP; `GET /` answers the session as JSON. */
function httpSide(mw: Middleware): RequestListener {
  return (req, res) =>
    mw(req, res, () => {
      const user = new URL(req.url!, 'http://x').searchParams.get('user');
      if (user) req.session.user = user;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(req.session));
    });
}

async function login(url: string, user: string): Promise<string> {
  const res = await request(url).get(`/login?user=${user}`);
  return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
}

/** Redis's count of every command it ran since the last CONFIG RESETSTAT, by name. */
async function commands(): Promise<Record<string, number>> {
  const info = await probe.info('commandstats');
  const counts: Record<string, number> = {};
  for (const [, name, calls] of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    counts[name!] = Number(calls);
  }
  delete counts.info; // the probe's own INFO and CONFIG calls
  delete counts.config;
  return counts;
}

describe('session({ store }) on a WebSocket upgrade, with connect-redis on a real Redis', () => {
  it('reads the stored session in onAccept and in the connection handler with one GET', async () => {
    const inAccept: unknown[] = [];
    server = await guardedServer(sessions, {
      onRequest: httpSide(sessions),
      onAccept: (req) => inAccept.push(req.session.user),
      greet: (req) => ({ user: req.session.user }),
    });
    const cookie = await login(server.url, 'ada');
    await probe.configResetStat();
    const result = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
    expect(result).toMatchObject({ opened: true, message: { user: 'ada' } });
    expect(inAccept).toEqual(['ada']);
    expect(result.headers['set-cookie']).toBeUndefined();
    expect(result.headers.vary).toBeUndefined();
    expect(await commands()).toEqual({ get: 1 });
  });

  it('sends Redis nothing when the handshake changes, saves, regenerates or destroys', async () => {
    const errors: unknown[] = [];
    server = await guardedServer(stack(sessions, sessionWrites(errors)), {
      onRequest: httpSide(sessions),
    });
    const cookie = await login(server.url, 'ada');
    await probe.configResetStat();
    const result = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
    expect(result).toMatchObject({ opened: true });
    expect(result.headers['set-cookie']).toBeUndefined();
    expect(errors.map((err) => (err as { code?: string } | undefined)?.code)).toEqual([
      'ERR_MW_SESSION_UPGRADE',
      'ERR_MW_SESSION_UPGRADE',
      'ERR_MW_SESSION_UPGRADE',
    ]);
    expect(await commands()).toEqual({ get: 1 });
    // The stored session is untouched: plain HTTP still reads it under the same cookie.
    const after = await request(server.url).get('/').set('Cookie', cookie);
    expect(after.body).toEqual({ user: 'ada' });
  });

  it('opens with an empty session for an unknown or tampered id, without writing', async () => {
    server = await guardedServer(sessions, {
      onRequest: httpSide(sessions),
      greet: (req) => ({ ...req.session }),
    });
    const cookie = await login(server.url, 'ada');
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    await probe.configResetStat();
    const result = await handshake(server.wsUrl, { headers: { Cookie: tampered } });
    expect(result).toMatchObject({ opened: true, message: {} });
    expect(await commands()).toEqual({});
  });

  it('refuses the upgrade through the error path when Redis is down, and recovers', async () => {
    server = await guardedServer(sessions, { onRequest: httpSide(sessions) });
    const cookie = await login(server.url, 'ada');
    await redis.stop();
    try {
      const refused = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
      expect(refused).toMatchObject({ opened: false });
      expect(server.errors.length).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    // node-redis reconnects on its own; the stored data is gone with the restarted Redis (no
    // persistence), so the session is empty but the handshake opens again.
    await waitUntil(() => redisClient.isReady);
    const again = await handshake(server.wsUrl, { headers: { Cookie: cookie } });
    expect(again).toMatchObject({ opened: true });
  });
});

async function waitUntil(ready: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > until) throw new Error('timed out waiting for the Redis client');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
