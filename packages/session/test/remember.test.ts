/** req.session.setMaxAge(seconds | null): a per-session lifetime the server enforces. */
import request from 'supertest';
import { session } from '@mw/session';
import { GOLDEN_TIME, app, cookieValue, sendJson, setCookies, useClock } from './helpers';

const clock = useClock();
const DAY = 24 * 3600;

function server(encrypt = false) {
  return app(session({ secretKey: 'example', encrypt }), {
    'GET /': (req, res) => sendJson(res, req.session),
    'GET /login': (req, res) => {
      const remember = new URL(req.url!, 'http://h').searchParams.get('remember');
      req.session.user = 'ada';
      req.session.setMaxAge(remember === 'null' ? null : Number(remember));
      sendJson(res, req.session);
    },
    'GET /bad': (req, res) => {
      try {
        req.session.setMaxAge('30' as never);
        res.end('accepted');
      } catch (err) {
        res.end((err as Error).message);
      }
    },
  });
}

describe('req.session.setMaxAge(seconds | null)', () => {
  describe.each([false, true])('with encrypt: %s', (encrypt) => {
    it('writes Max-Age from it and keeps the session past the maxAge option', async () => {
      const login = await request(server(encrypt)).get(`/login?remember=${30 * DAY}`);
      expect(setCookies(login)[0]).toMatch(/; Max-Age=2592000; /);
      const cookie = `session=${cookieValue(login)}`;
      clock.set(GOLDEN_TIME + 20 * DAY);
      const later = await request(server(encrypt)).get('/').set('Cookie', cookie);
      expect(later.body).toEqual({ user: 'ada' });
      expect(setCookies(later)).toEqual([]); // reading does not re-issue it
      clock.set(GOLDEN_TIME + 30 * DAY + 1);
      expect((await request(server(encrypt)).get('/').set('Cookie', cookie)).body).toEqual({});
    });

    it('enforces a shorter lifetime on the server, whatever the browser keeps', async () => {
      const login = await request(server(encrypt)).get('/login?remember=60');
      const cookie = `session=${cookieValue(login)}`;
      clock.set(GOLDEN_TIME + 60);
      expect((await request(server(encrypt)).get('/').set('Cookie', cookie)).body).toEqual({
        user: 'ada',
      });
      clock.set(GOLDEN_TIME + 61);
      expect((await request(server(encrypt)).get('/').set('Cookie', cookie)).body).toEqual({});
    });

    it('null makes a browser-session cookie (no Max-Age) that the server does not age out', async () => {
      const login = await request(server(encrypt)).get('/login?remember=null');
      expect(setCookies(login)[0]).not.toMatch(/Max-Age/);
      clock.set(GOLDEN_TIME + 100 * DAY);
      const res = await request(server(encrypt))
        .get('/')
        .set('Cookie', `session=${cookieValue(login)}`);
      expect(res.body).toEqual({ user: 'ada' });
    });
  });

  it('keeps the lifetime out of the session data, inside the signed JSON', async () => {
    const login = await request(server()).get(`/login?remember=${7 * DAY}`);
    expect(login.body).toEqual({ user: 'ada' });
    const payload = Buffer.from(cookieValue(login)!.split('.')[0]!, 'base64').toString();
    expect(payload).toBe('{"user": "ada", "_mw_max_age": 604800}');
  });

  it('throws a TypeError for anything but an integer or null', async () => {
    expect((await request(server()).get('/bad')).text).toBe(
      '@mw/session: setMaxAge() takes an integer number of seconds, or null',
    );
  });
});
