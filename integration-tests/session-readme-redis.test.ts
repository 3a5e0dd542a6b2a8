/**
 * The session README's connect-redis recipe (examples/readme/session/connect-redis.mjs, the
 * block's exact text), run as written with node against a real redis-server.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { freePort, waitForPort } from '../test-support/http';
import { startRedis } from '../test-support/redis';
import type { RedisServer } from '../test-support/redis';

const RECIPE = path.join(__dirname, '..', 'examples', 'readme', 'session', 'connect-redis.mjs');
let redis: RedisServer;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  redis = await startRedis();
  const port = await freePort();
  child = spawn(process.execPath, [RECIPE], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, SESSION_SECRET: 'readme' },
    stdio: 'inherit',
  });
  url = `http://127.0.0.1:${port}`;
  await waitForPort(port, 15_000);
}, 30_000);

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
  await redis.close();
});

describe('the session README connect-redis recipe', () => {
  it('counts views in Redis across requests', async () => {
    const first = await request(url).get('/');
    expect(first.text).toBe('views: 1');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^session=s%3A/);
    const second = await request(url).get('/').set('Cookie', cookie);
    expect(second.text).toBe('views: 2');
  });
});
