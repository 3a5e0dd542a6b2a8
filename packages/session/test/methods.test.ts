/** regenerate(cb), save(cb), destroy(cb) and rolling re-issue. */
import request from 'supertest';
import { session } from '@mw/session';
import { TimestampSigner } from '../src/signer';
import { GOLDEN_TIME, app, cookieValue, sendJson, setCookies, signed, useClock } from './helpers';

const clock = useClock();
const CLEARING =
  'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';

describe('session(options)', () => {
  describe('req.session methods', () => {
    it('are non-enumerable: not in Object.keys, for...in, JSON or the cookie', async () => {
      const seen: unknown[] = [];
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session.a = 1;
          const forIn: string[] = [];
          for (const key in req.session) forIn.push(key);
          seen.push(Object.keys(req.session), forIn, JSON.stringify(req.session));
          seen.push(['regenerate', 'save', 'destroy'].map((m) => typeof req.session[m]));
          seen.push(
            ['regenerate', 'save', 'destroy'].map((m) =>
              Object.prototype.propertyIsEnumerable.call(req.session, m),
            ),
          );
          res.end();
        },
      });
      const res = await request(server).get('/');
      expect(seen).toEqual([
        ['a'],
        ['a'],
        '{"a":1}',
        ['function', 'function', 'function'],
        [false, false, false],
      ]);
      expect(cookieValue(res)).toBe(signed({ a: 1 }));
    });

    it('regenerate(cb) replaces req.session with an empty one, then calls back', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          const before = req.session;
          before.regenerate((err) => {
            req.session.fresh = true;
            sendJson(res, { err: err ?? null, same: before === req.session, session: req.session });
          });
        },
      });
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${signed({ old: 1 })}`);
      expect(res.body).toEqual({ err: null, same: false, session: { fresh: true } });
      expect(cookieValue(res)).toBe(signed({ fresh: true }));
    });

    it('save(cb) calls back without an error when the session fits', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session.a = 1;
          req.session.save((err) => sendJson(res, { err: err ?? null }));
        },
      });
      const res = await request(server).get('/');
      expect(res.body).toEqual({ err: null });
      expect(cookieValue(res)).toBe(signed({ a: 1 }));
    });

    it('save(cb) hands over a value JSON cannot carry', async () => {
      const server = app(session({ secretKey: 'example', onError: () => undefined }), {
        'GET /': (req, res) => {
          const cycle: Record<string, unknown> = {};
          cycle.self = cycle;
          req.session.cycle = cycle;
          req.session.save((err) => res.end(err?.message));
        },
      });
      expect((await request(server).get('/')).text).toMatch(/circular/);
    });

    it('destroy(cb) empties the session and clears a valid cookie', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => req.session.destroy(() => sendJson(res, req.session)),
      });
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 })}`);
      expect(res.body).toEqual({});
      expect(setCookies(res)).toEqual([CLEARING]);
    });

    it("works for passport's login (regenerate, set, save) and logout (delete, save, regenerate)", async () => {
      const server = app(session({ secretKey: 'example' }), {
        'POST /login': (req, res) =>
          req.session.regenerate(() => {
            req.session.passport ??= {};
            (req.session.passport as { user?: string }).user = 'alice';
            req.session.save(() => res.end());
          }),
        'POST /logout': (req, res) => {
          delete (req.session.passport as { user?: string }).user;
          req.session.save(() => req.session.regenerate(() => res.end()));
        },
      });
      const login = await request(server).post('/login');
      expect(cookieValue(login)).toBe(signed({ passport: { user: 'alice' } }));
      const logout = await request(server)
        .post('/logout')
        .set('Cookie', `session=${cookieValue(login)!}`);
      expect(setCookies(logout)).toEqual([CLEARING]);
    });

    it('throws a TypeError when req.session is set to something other than an object', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          expect(() => {
            (req as { session: unknown }).session = 'text';
          }).toThrow(/req.session can only be set to an object or null/);
          res.end('ok');
        },
      });
      expect((await request(server).get('/')).text).toBe('ok');
    });
  });

  describe('with rolling: true', () => {
    const server = app(session({ secretKey: 'example', rolling: true }), {
      'GET /untouched': (_req, res) => res.end(),
      'GET /read': (req, res) => sendJson(res, req.session),
    });

    it.each(['/untouched', '/read'])(
      're-issues a non-empty session with a fresh timestamp on %s',
      async (path) => {
        clock.set(GOLDEN_TIME + 60);
        const res = await request(server)
          .get(path)
          .set('Cookie', `session=${signed({ a: 1 })}`);
        expect(cookieValue(res)).toBe(signed({ a: 1 }, 'example', GOLDEN_TIME + 60));
        // Issue 13.11: the re-issued cookie is user-specific: a shared cache must key on it.
        expect(res.headers['vary']).toBe('Cookie');
      },
    );

    it('sends nothing without a session', async () => {
      expect(setCookies(await request(server).get('/read'))).toEqual([]);
      expect(
        setCookies(await request(server).get('/untouched').set('Cookie', 'session=bad')),
      ).toEqual([]);
    });
  });

  describe('when nobody touches the session', () => {
    it('never verifies the cookie, adds no Vary and sends no Set-Cookie', async () => {
      const unsign = jest.spyOn(TimestampSigner.prototype, 'verify');
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => res.end(String(Object.keys(req).includes('session'))),
      });
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 })}`);
      expect(res.text).toBe('true');
      expect(unsign).not.toHaveBeenCalled();
      unsign.mockRestore();
      expect(res.headers['vary']).toBeUndefined();
      expect(setCookies(res)).toEqual([]);
    });
  });
});
