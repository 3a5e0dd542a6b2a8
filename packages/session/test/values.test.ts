/** Values Python and JavaScript read differently, and data keys named like a method. */
import fc from 'fast-check';
import request from 'supertest';
import { session } from '@mw/session';
import { parseJson } from '../src/parse';
import { pythonJson } from '../src/json';
import { TimestampSigner } from '../src/signer';
import { GOLDEN_TIME, app, cookieValue, sendJson, signed, useClock } from './helpers';

useClock();

/** A session cookie signed as Starlette signs it, over the exact JSON text Python wrote. */
function signedText(json: string): string {
  return `session=${new TimestampSigner(['example']).sign(json, GOLDEN_TIME)}`;
}

/** What parseJson must give: JSON.parse's value, with integers beyond 2^53 as BigInt. */
const exact = (_key: string, v: unknown): unknown =>
  typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && Math.abs(v) < 1e21
    ? BigInt(String(v))
    : v;

describe('session(options)', () => {
  describe('when the session holds integers beyond 2^53 (issue 13.3)', () => {
    const seen: unknown[] = [];
    const server = app(session({ secretKey: 'example' }), {
      'GET /': (req, res) => {
        seen.push(req.session.id, typeof req.session.id);
        req.session.visits = ((req.session.visits as number | undefined) ?? 0) + 1;
        res.end();
      },
    });

    it('reads them exactly as BigInt and writes them back unchanged', async () => {
      seen.length = 0;
      const cookie = `session=${signed({ id: 1234567890123456789n, visits: 1 })}`;
      const res = await request(server).get('/').set('Cookie', cookie);
      expect(seen).toEqual([1234567890123456789n, 'bigint']);
      expect(cookieValue(res)).toBe(signed({ id: 1234567890123456789n, visits: 2 }));
      const payload = Buffer.from(cookieValue(res)!.split('.')[0]!, 'base64').toString();
      expect(payload).toBe('{"id": 1234567890123456789, "visits": 2}');
    });

    it('keeps safe integers, floats and long floats as numbers', () => {
      expect(
        parseJson('{"a": 9007199254740991, "b": 12345678901234567.5, "c": 1.2345678901234567e30}'),
      ).toEqual({
        a: 9007199254740991,
        b: Number('12345678901234567.5'),
        c: 1.2345678901234567e30,
      });
      expect(parseJson('[9007199254740992, -9007199254740993, "12345678901234567890"]')).toEqual([
        9007199254740992n,
        -9007199254740993n,
        '12345678901234567890',
      ]);
    });

    it('parses like JSON.parse, integers beyond 2^53 exact (property)', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = `{"pad": "1234567890123456", "v": ${JSON.stringify(value)}}`;
          expect(parseJson(text)).toEqual(JSON.parse(text, exact));
        }),
        { numRuns: 300 },
      );
    });

    it.each([
      '{"a": 1234567890123456789',
      '{"a": 12345678901234567890,}',
      '[1234567890123456789] x',
      '{"a" 1234567890123456789}',
    ])('refuses the malformed %j with a SyntaxError', (text) => {
      expect(() => parseJson(text)).toThrow(SyntaxError);
    });

    it('keeps "__proto__" as an own data key', () => {
      const data = parseJson('{"__proto__": {"x": 1}, "n": 12345678901234567890}') as object;
      expect(Object.keys(data)).toEqual(['__proto__', 'n']);
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(pythonJson(data)).toBe('{"__proto__": {"x": 1}, "n": 12345678901234567890}');
    });
  });

  describe('when a data key is named like a method (issue 13.4)', () => {
    const names = ['save', 'regenerate', 'destroy', 'setMaxAge'] as const;

    it.each(names)(
      'keeps the method %s callable and writes the key back unchanged',
      async (name) => {
        const seen: unknown[] = [];
        const server = app(session({ secretKey: 'example' }), {
          'GET /': (req, res) => {
            seen.push(typeof req.session[name], Object.keys(req.session));
            req.session.user = 'ada';
            req.session.save((err) => sendJson(res, { err: err ?? null }));
          },
        });
        const cookie = `session=${signed({ [name]: 'data', user: 'bob' })}`;
        const res = await request(server).get('/').set('Cookie', cookie);
        expect(res.body).toEqual({ err: null });
        expect(seen).toEqual(['function', ['user']]);
        expect(cookieValue(res)).toBe(signed({ user: 'ada', [name]: 'data' }));
      },
    );

    it('keeps an assignment to req.session.save as data, not as the method', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => {
          Object.assign(req.session, { save: 1, destroy: 'x', a: 2 });
          req.session.regenerate = 5 as never;
          sendJson(res, { save: typeof req.session.save, keys: Object.keys(req.session) });
        },
      });
      const res = await request(server).get('/');
      expect(res.body).toEqual({ save: 'function', keys: ['a'] });
      expect(cookieValue(res)).toBe(signed({ a: 2, save: 1, destroy: 'x', regenerate: 5 }));
    });

    it('does not re-send a cookie whose method-named key was only read past', async () => {
      const server = app(session({ secretKey: 'example' }), {
        'GET /': (req, res) => sendJson(res, { n: Object.keys(req.session).length }),
      });
      const text = '{"destroy": true, "user": "bob"}';
      const res = await request(server).get('/').set('Cookie', signedText(text));
      expect(res.body).toEqual({ n: 1 });
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });
});
