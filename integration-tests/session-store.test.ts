/**
 * session({ store }) on a real Redis (Debian's redis-server, started here on a free loopback
 * port) through the current connect-redis and node-redis clients, set up exactly as
 * connect-redis's README shows, under Express 5.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions, SessionStore } from '@mw/session';
import { startRedis } from '../test-support/redis';
import type { RedisServer } from '../test-support/redis';

let redis: RedisServer;
let redisClient: ReturnType<typeof createClient>;
let redisStore: RedisStore;
/** A second connection to read Redis's own view (keys, TTLs, command counts). */
let probe: ReturnType<typeof createClient>;

beforeAll(async () => {
  redis = await startRedis();
  // connect-redis's README, with the test server's URL.
  redisClient = createClient({ url: redis.url });
  redisClient.on('error', () => undefined); // reconnect noise while a test stops Redis
  redisClient.connect().catch(console.error);
  redisStore = new RedisStore({ client: redisClient, prefix: 'myapp:' });
  probe = createClient({ url: redis.url });
  probe.on('error', () => undefined);
  await probe.connect();
});

afterAll(async () => {
  redisClient.destroy();
  probe.destroy();
  await redis.close();
});

function createApp(options: Partial<SessionOptions> = {}, errors: Error[] = []) {
  const app = express();
  app.use(
    session({
      secretKey: 'store-secret',
      store: redisStore as unknown as SessionStore,
      onError: (err) => errors.push(err),
      ...options,
    }),
  );
  app.post('/login/:user', (req, res) => {
    req.session.regenerate((err) => {
      if (err) return res.status(500).end();
      req.session.user = req.params.user;
      req.session.save(() => res.json(req.session));
    });
  });
  app.post('/add/:item', (req, res) => {
    const cart = (req.session.cart ??= []) as string[];
    cart.push(req.params.item);
    res.json(req.session);
  });
  app.get('/', (req, res) => res.json(req.session));
  app.get('/static', (_req, res) => res.send('static'));
  app.post('/logout', (req, res) => req.session.destroy(() => res.json(req.session)));
  app.post('/remember', (req, res) => {
    req.session.setMaxAge(Number(req.query.seconds));
    res.json(req.session);
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`error: ${err.message}`);
  });
  return app;
}

function cookieOf(res: request.Response): string {
  const lines = res.headers['set-cookie'] as unknown as string[];
  return lines[0]!.split(';')[0]!;
}

/** Redis's count of `command` since the last CONFIG RESETSTAT (0 when never called). */
async function calls(command: string): Promise<number> {
  const info = await probe.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('session({ store }) with connect-redis on a real Redis', () => {
  beforeEach(async () => {
    await probe.flushAll();
  });

  describe('when a request changes the session', () => {
    it('stores it under a signed random id with a TTL and reads it back', async () => {
      const app = createApp();
      const first = await request(app).post('/add/apple');
      expect(first.body).toEqual({ cart: ['apple'] });
      const cookie = cookieOf(first);
      expect(first.headers['set-cookie']![0]).toMatch(
        /^session=s%3A[\w-]{32}\.[\w%]{43,}; path=\/; Max-Age=1209600; httponly; samesite=lax$/,
      );
      expect(first.headers['vary']).toBe('Cookie');
      const keys = await probe.keys('myapp:*');
      expect(keys).toHaveLength(1);
      expect(await probe.ttl(keys[0]!)).toBeGreaterThan(1209500);
      const stored = JSON.parse((await probe.get(keys[0]!))!) as Record<string, unknown>;
      expect(stored).toMatchObject({ cart: ['apple'], cookie: { originalMaxAge: 1209600000 } });

      const second = await request(app).post('/add/pear').set('Cookie', cookie);
      expect(second.body).toEqual({ cart: ['apple', 'pear'] });
      const read = await request(app).get('/').set('Cookie', cookie);
      expect(read.body).toEqual({ cart: ['apple', 'pear'] });
    });
  });

  describe('when a request only reads', () => {
    it.each<[string, Partial<SessionOptions>, Record<string, number>, boolean]>([
      [
        'by default: one GET, nothing written, no Set-Cookie',
        {},
        { get: 1, set: 0, expire: 0 },
        false,
      ],
      [
        'with rolling: one GET and a touch (EXPIRE), the cookie re-issued',
        { rolling: true },
        { get: 1, set: 0, expire: 1 },
        true,
      ],
    ])('%s', async (_name, options, expected, reissued) => {
      const app = createApp(options);
      const cookie = cookieOf(await request(app).post('/add/apple'));
      await probe.configResetStat();
      const res = await request(app).get('/').set('Cookie', cookie);
      expect(res.body).toEqual({ cart: ['apple'] });
      expect(res.headers['set-cookie'] !== undefined).toBe(reissued);
      expect(res.headers['vary']).toBe('Cookie');
      const counted = {
        get: await calls('get'),
        set: await calls('set'),
        expire: await calls('expire'),
      };
      expect(counted).toEqual(expected);
    });

    it('leaves a request without a session cookie to Redis alone', async () => {
      await probe.configResetStat();
      const res = await request(createApp()).get('/static');
      expect(res.text).toBe('static');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect([await calls('get'), await calls('set')]).toEqual([0, 0]);
    });
  });

  describe('when the session is regenerated or destroyed', () => {
    it('regenerate gives a new id and the old cookie no longer reads the data', async () => {
      const app = createApp();
      const before = cookieOf(await request(app).post('/add/apple'));
      const login = await request(app).post('/login/ada').set('Cookie', before);
      expect(login.body).toEqual({ user: 'ada' });
      const after = cookieOf(login);
      expect(after).not.toBe(before);
      expect((await request(app).get('/').set('Cookie', before)).body).toEqual({});
      expect((await request(app).get('/').set('Cookie', after)).body).toEqual({ user: 'ada' });
      expect(await probe.keys('myapp:*')).toHaveLength(1);
    });

    it('destroy removes the stored session and clears the cookie', async () => {
      const app = createApp();
      const cookie = cookieOf(await request(app).post('/add/apple'));
      const res = await request(app).post('/logout').set('Cookie', cookie);
      expect(res.body).toEqual({});
      expect(res.headers['set-cookie']).toEqual([
        'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax',
      ]);
      expect(await probe.keys('myapp:*')).toEqual([]);
      expect((await request(app).get('/').set('Cookie', cookie)).body).toEqual({});
    });
  });

  describe('when setMaxAge sets a per-session lifetime ("remember me")', () => {
    it('writes Max-Age and the Redis TTL from it, and the server enforces it', async () => {
      const app = createApp();
      const cookie = cookieOf(await request(app).post('/add/apple'));
      const res = await request(app).post('/remember?seconds=1').set('Cookie', cookie);
      expect(res.headers['set-cookie']![0]).toMatch(/; Max-Age=1; /);
      const [key] = await probe.keys('myapp:*');
      expect(await probe.ttl(key!)).toBeLessThanOrEqual(1);
      await probe.persist(key!); // even if the store kept the entry, the server refuses it
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await request(app).get('/').set('Cookie', cookie)).body).toEqual({});
    });
  });

  describe('when Redis stops mid-traffic', () => {
    it('reaches the error handler within storeTimeout, keeps other routes up and recovers', async () => {
      const errors: Error[] = [];
      const app = createApp({ storeTimeout: 300 }, errors);
      const cookie = cookieOf(await request(app).post('/add/apple'));
      await redis.stop();
      try {
        const started = Date.now();
        const read = await request(app).get('/').set('Cookie', cookie);
        expect(read.status).toBe(500);
        expect(read.text).toMatch(/did not answer get within 300 ms/);
        expect(Date.now() - started).toBeLessThan(2000);
        expect((await request(app).get('/static')).text).toBe('static');
        const write = await request(app).post('/add/x');
        expect(write.status).toBe(500);
        expect(write.headers['set-cookie']).toBeUndefined();
        expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/did not answer set/)]);
      } finally {
        await redis.start();
      }
      // node-redis reconnects on its own: no restart of the app.
      let res: request.Response | undefined;
      for (let i = 0; i < 50; i++) {
        res = await request(app).post('/add/pear');
        if (res.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(res!.status).toBe(200);
      expect((await request(app).get('/').set('Cookie', cookieOf(res!))).body).toEqual({
        cart: ['pear'],
      });
    });
  });

  describe('when the options are combined wrongly', () => {
    it('refuses encrypt together with store', () => {
      expect(() => createApp({ encrypt: true })).toThrow(
        /option "encrypt" cannot be used with "store"/,
      );
    });
  });
});
