/**
 * SE-10 (Starlette's `Session` dict tracking) for our object model: `req.session` is a plain
 * object, so "modified" means its JSON differs from what came in, or `req.session` was assigned.
 */
import request from 'supertest';
import type { IncomingMessage } from 'node:http';
import { session } from '@mw/session';
import { app, cookieValue, sendJson, setCookies, signed, useClock } from './helpers';

useClock();
const CLEARING =
  'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';

type Mutation = (req: IncomingMessage) => void;

async function run(initial: object, mutate: Mutation): Promise<string[]> {
  const server = app(session({ secretKey: 'example' }), {
    'GET /': (req, res) => {
      mutate(req);
      sendJson(res, req.session);
    },
  });
  const res = await request(server)
    .get('/')
    .set('Cookie', `session=${signed(initial)}`);
  expect(res.status).toBe(200);
  return setCookies(res);
}

const AB = { a: '1', b: '2' };

describe('session(options)', () => {
  describe('SE-10: when the request changes the session', () => {
    it.each<[string, object, Mutation]>([
      ['a new key (s["c"] = "3")', AB, (req) => (req.session.c = '3')],
      ['a deleted key (del s["a"], pop("a"))', AB, (req) => delete req.session.a],
      ['a changed value', AB, (req) => (req.session.a = 'x')],
      ['setdefault of a missing key (s.x ??= "2")', AB, (req) => (req.session.x ??= '2')],
      ['update({c: 3}) / |=', AB, (req) => Object.assign(req.session, { c: 3 })],
      ['popitem (the last key deleted)', AB, (req) => delete req.session.b],
      [
        'a nested push (req.session.cart.push(x))',
        { cart: ['a'] },
        (req) => (req.session.cart as string[]).push('b'),
      ],
      [
        'a nested splice',
        { cart: ['a', 'b'] },
        (req) => (req.session.cart as string[]).splice(0, 1),
      ],
      ['a nested sort', { cart: ['b', 'a'] }, (req) => (req.session.cart as string[]).sort()],
      [
        'a nested object property',
        { user: { name: 'a' } },
        (req) => ((req.session.user as { name: string }).name = 'b'),
      ],
      [
        'assignment of equal data (Starlette S22: assigning again still counts)',
        AB,
        (req) => (req.session = { ...AB }),
      ],
    ])('SE-10: re-issues the cookie for %s', async (_name, initial, mutate) => {
      const lines = await run(initial, mutate);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^session=[^;]+\.ZVPxAA\.[^;]+; path=\/; Max-Age=1209600; /);
    });

    it.each<[string, Mutation]>([
      [
        'clear() (every key deleted)',
        (req) => Object.keys(req.session).forEach((k) => delete req.session[k]),
      ],
      ['req.session = {}', (req) => (req.session = {})],
      ['req.session = null', (req) => (req.session = null)],
      ['destroy()', (req) => req.session.destroy()],
      ['regenerate() with nothing added', (req) => req.session.regenerate()],
    ])('SE-10: sends the clearing cookie after %s', async (_name, mutate) => {
      expect(await run(AB, mutate)).toEqual([CLEARING]);
    });
  });

  describe('SE-10: when the request leaves the data as it was', () => {
    it.each<[string, Mutation]>([
      ['a read only', (req) => void req.session.a],
      ['pop("missing", None) (deleting a missing key)', (req) => delete req.session.missing],
      ['setdefault("a", "2") of an existing key (s.a ??= "2")', (req) => (req.session.a ??= '2')],
      [
        'update({}) (contract: JSON-equal data is not a change)',
        (req) => Object.assign(req.session, {}),
      ],
      [
        's["a"] = same value (contract: JSON-equal data is not a change, unlike Starlette S22)',
        (req) => (req.session.a = '1'),
      ],
      [
        'a change undone',
        (req) => {
          req.session.a = 'x';
          req.session.a = '1';
        },
      ],
      ['save() alone', (req) => req.session.save()],
    ])('SE-10: sends no Set-Cookie after %s', async (_name, mutate) => {
      expect(await run(AB, mutate)).toEqual([]);
    });

    it('sends no Set-Cookie when Python spelled the same data differently (1.0 vs 1)', async () => {
      // Python's json.dumps({"n": 1.0}) is '{"n": 1.0}'; JavaScript reads it as 1.
      const { TimestampSigner } = await import('../src/signer');
      const value = new TimestampSigner(['example']).sign(
        '{"n": 1.0, "2": "b", "1": "a"}',
        1700000000,
      );
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => sendJson(res, req.session),
      });
      const res = await request(server).get('/').set('Cookie', `session=${value}`);
      expect(res.body).toEqual({ n: 1, 1: 'a', 2: 'b' });
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('when there was no valid cookie', () => {
    it('sends nothing when the empty session is emptied again', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session = {};
          res.end();
        },
      });
      const res = await request(server).get('/').set('Cookie', 'session=bogus');
      expect(setCookies(res)).toEqual([]);
    });

    it('stores data assigned to req.session', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          req.session = { user: 'u1' };
          res.end();
        },
      });
      const res = await request(server).get('/');
      expect(cookieValue(res)).toBe(signed({ user: 'u1' }));
    });
  });
});
