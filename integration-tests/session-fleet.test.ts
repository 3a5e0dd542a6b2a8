/**
 * A fleet: two Node processes running examples/session-store/server.js (Express 5, passport-local,
 * @mw/session on connect-redis) behind one real Redis. A login on one is read on the other,
 * a logout on one is seen by the other at once, the login regenerates the id (session fixation)
 * and "remember me" (setMaxAge) sets the cookie's Max-Age and the Redis TTL.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createClient } from 'redis';
import request from 'supertest';
import { freePort } from '../test-support/http';
import { startRedis } from '../test-support/redis';
import type { RedisServer } from '../test-support/redis';

const SERVER = path.join(__dirname, '..', 'examples', 'session-store', 'server.js');
let redis: RedisServer;
let probe: ReturnType<typeof createClient>;
const nodes: { url: string; child: ChildProcess }[] = [];

async function startNode(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, SESSION_SECRET: 'fleet' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

beforeAll(async () => {
  redis = await startRedis();
  probe = createClient({ url: redis.url });
  await probe.connect();
  nodes.push(await startNode(), await startNode());
}, 30_000);

afterAll(async () => {
  for (const { child } of nodes) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  }
  probe.destroy();
  await redis.close();
});

function cookieOf(res: request.Response): string {
  const lines = res.headers['set-cookie'] as unknown as string[];
  return lines[0]!.split(';')[0]!;
}

async function login(url: string, remember: boolean, cookie?: string): Promise<request.Response> {
  const req = request(url).post('/login').type('form');
  if (cookie) req.set('Cookie', cookie);
  return req.send({
    username: 'ada',
    password: 'lovelace',
    ...(remember ? { remember: 'on' } : {}),
  });
}

describe('two processes behind one Redis', () => {
  it('reads on one what the other logged in, and both see a logout at once', async () => {
    const [a, b] = nodes;
    const res = await login(a!.url, false);
    expect(res.status).toBe(302);
    const cookie = cookieOf(res);
    const onA = await request(a!.url).get('/me').set('Cookie', cookie);
    const onB = await request(b!.url).get('/me').set('Cookie', cookie);
    expect(onA.body).toMatchObject({ user: 'ada', views: 1 });
    expect(onB.body).toMatchObject({ user: 'ada', views: 2 });
    expect(onA.body.pid).not.toBe(onB.body.pid);

    await request(b!.url).post('/logout').set('Cookie', cookie);
    const afterLogout = await request(a!.url).get('/me').set('Cookie', cookie);
    expect(afterLogout.status).toBe(401);
  });

  it('gives a new id at login: the pre-login cookie never reads the logged-in session', async () => {
    const [a, b] = nodes;
    const anonymous = await request(a!.url)
      .post('/login')
      .type('form')
      .send({ username: 'x', password: 'y' });
    expect(anonymous.status).toBe(302); // failed login: no session yet
    const first = cookieOf(await login(a!.url, false));
    const second = await login(b!.url, false, first);
    const renewed = cookieOf(second);
    expect(renewed).not.toBe(first);
    expect((await request(a!.url).get('/me').set('Cookie', first)).status).toBe(401);
    expect((await request(a!.url).get('/me').set('Cookie', renewed)).status).toBe(200);
  });

  it.each<[string, boolean, RegExp, [number, number]]>([
    ['with "remember me": 30 days', true, /; Max-Age=2592000; /, [2592000 - 60, 2592000]],
    ['without: 2 hours', false, /; Max-Age=7200; /, [7200 - 60, 7200]],
  ])(
    'sets the lifetime %s in the cookie and in Redis',
    async (_name, remember, maxAge, [lo, hi]) => {
      const res = await login(nodes[0]!.url, remember);
      expect(res.headers['set-cookie']![0]).toMatch(maxAge);
      const id = decodeURIComponent(cookieOf(res).split('=')[1]!).slice(2).split('.')[0]!;
      const ttl = await probe.ttl(`myapp:${id}`);
      expect(ttl).toBeGreaterThan(lo);
      expect(ttl).toBeLessThanOrEqual(hi);
      const me = await request(nodes[1]!.url).get('/me').set('Cookie', cookieOf(res));
      expect(me.body).toMatchObject({ user: 'ada' });
    },
  );
});
