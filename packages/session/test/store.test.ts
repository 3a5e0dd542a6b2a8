/** session({ store }) with express-session's own MemoryStore, and stores that fail or hang. */
import { MemoryStore } from 'express-session';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions, SessionStore } from '@mw/session';
import { app, sendJson, setCookies } from './helpers';

const routes = {
  'GET /': (req: never, res: never) => sendJson(res, (req as { session: unknown }).session),
  'GET /add': (req: { session: Record<string, unknown> }, res: never) => {
    req.session.n = ((req.session.n as number | undefined) ?? 0) + 1;
    sendJson(res, req.session);
  },
};

function server(store: SessionStore, options: Partial<SessionOptions> = {}) {
  return app(session({ secretKey: 'store', store, ...options }), routes as never);
}

const memory = (): SessionStore => new MemoryStore() as unknown as SessionStore;
const cookieOf = (res: request.Response): string => setCookies(res)[0]!.split(';')[0]!;

/** A store whose `set` answers only when the test says so. */
function slowStore(): SessionStore & { release(): void; sets: number } {
  const inner = memory();
  const waiting: (() => void)[] = [];
  return {
    sets: 0,
    get: (sid, cb) => inner.get(sid, cb),
    destroy: (sid, cb) => inner.destroy(sid, cb),
    set(sid, sess, cb) {
      this.sets++;
      waiting.push(() => inner.set(sid, sess, cb));
    },
    release() {
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe('session({ store })', () => {
  describe('with express-session MemoryStore', () => {
    it('keeps the data on the server and only a signed id in the cookie', async () => {
      const s = server(memory());
      const first = await request(s).get('/add');
      expect(setCookies(first)[0]).toMatch(
        /^session=s%3A[\w-]{32}\.[\w%]+; path=\/; Max-Age=1209600; httponly; samesite=lax$/,
      );
      const second = await request(s).get('/add').set('Cookie', cookieOf(first));
      expect(second.body).toEqual({ n: 2 });
      expect(setCookies(second)).toHaveLength(1); // modified: stored again, cookie refreshed
      const read = await request(s).get('/').set('Cookie', cookieOf(first));
      expect(read.body).toEqual({ n: 2 });
      expect(setCookies(read)).toEqual([]);
      expect(read.headers['vary']).toBe('Cookie');
    });

    it('refuses a tampered or foreign id cookie with an empty session', async () => {
      const s = server(memory());
      const cookie = cookieOf(await request(s).get('/add'));
      for (const bad of [
        cookie.replace(/.$/, 'x'),
        cookie.replace('s%3A', ''),
        'session=s%3Aabc.def',
      ]) {
        expect((await request(s).get('/').set('Cookie', bad)).body).toEqual({});
      }
    });

    it('re-signs an id cookie signed by an older key', async () => {
      const store = memory();
      const cookie = cookieOf(await request(server(store, { secretKey: 'old' })).get('/add'));
      const res = await request(server(store, { secretKey: ['new', 'old'] }))
        .get('/')
        .set('Cookie', cookie);
      expect(res.body).toEqual({ n: 1 });
      expect(cookieOf(res)).not.toBe(cookie);
      expect(cookieOf(res).split('.')[0]).toBe(cookie.split('.')[0]);
    });
  });

  describe('when the store is slow', () => {
    it('holds the head until the store has acknowledged the write', async () => {
      const store = slowStore();
      const s = server(store);
      let answered = false;
      const pending = request(s)
        .get('/add')
        .then((res) => {
          answered = true;
          return res;
        });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(store.sets).toBe(1);
      expect(answered).toBe(false);
      store.release();
      const res = await pending;
      expect(res.body).toEqual({ n: 1 });
      expect((await request(s).get('/').set('Cookie', cookieOf(res))).body).toEqual({ n: 1 });
    });
  });

  describe('when the store fails or never answers', () => {
    const failing = (how: 'error' | 'hang' | 'throw'): SessionStore => ({
      get: (_sid, cb) => (how === 'hang' ? undefined : cb(new Error('store down'))),
      set: (_sid, _sess, cb) => {
        if (how === 'throw') throw new Error('store threw');
        if (how === 'error') cb?.(new Error('store down'));
      },
      destroy: (_sid, cb) => cb?.(),
    });

    it.each<['error' | 'hang' | 'throw', RegExp]>([
      ['error', /store down/],
      ['hang', /did not answer set within 100 ms/],
      ['throw', /store threw/],
    ])(
      'a write that meets %s calls onError and answers 500 without Set-Cookie',
      async (how, message) => {
        const errors: Error[] = [];
        const s = server(failing(how), { storeTimeout: 100, onError: (err) => errors.push(err) });
        const res = await request(s).get('/add');
        expect(res.status).toBe(500);
        expect(res.text).toMatch(message);
        expect(setCookies(res)).toEqual([]);
        expect(res.headers['content-type']).toBeUndefined(); // the app's headers went with its body
        expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(message)]);
      },
    );

    it('a read that never answers reaches next(err) within storeTimeout', async () => {
      const s = server(failing('hang'), { storeTimeout: 100 });
      const started = Date.now();
      const res = await request(s)
        .get('/')
        .set('Cookie', `session=${encodeURIComponent('s:abc')}.x`);
      expect(res.status).toBe(200); // an id that does not verify never reaches the store
      const store = memory();
      const cookie = cookieOf(await request(server(store)).get('/add'));
      const hanging = { ...failing('hang'), set: store.set.bind(store) };
      const read = await request(server(hanging, { storeTimeout: 100 }))
        .get('/')
        .set('Cookie', cookie);
      expect(read.status).toBe(500);
      expect(read.text).toMatch(/did not answer get within 100 ms/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('save(cb) receives the write error', async () => {
      const s = app(
        session({ secretKey: 's', store: failing('error'), onError: () => undefined }),
        {
          'GET /': (req, res) => {
            req.session.a = 1;
            req.session.save((err) => res.end(err ? `save: ${err.message}` : 'saved'));
          },
        },
      );
      expect((await request(s).get('/')).text).toBe('save: store down');
    });
  });

  describe('when the options are invalid', () => {
    it.each<[string, unknown, RegExp]>([
      [
        'a store without get',
        { set() {}, destroy() {} },
        /option "store" must be an express-session store/,
      ],
      ['null', null, /option "store"/],
    ])('refuses %s', (_name, store, message) => {
      expect(() => session({ secretKey: 's', store: store as SessionStore })).toThrow(message);
    });
    it.each([0, -1, 1.5, '5000'])('refuses storeTimeout %j', (storeTimeout) => {
      expect(() =>
        session({ secretKey: 's', store: memory(), storeTimeout: storeTimeout as number }),
      ).toThrow(/option "storeTimeout" must be an integer/);
    });
  });
});
