/** Reading the cookie: Starlette's lenient parser, and every bad cookie as an empty session. */
import request from 'supertest';
import { session } from '@mw/session';
import { readCookie, unquote } from '../src/cookie';
import { createHmac } from 'node:crypto';
import { deriveKey } from '../src/signer';
import { app, sendJson, setCookies, signed, useClock } from './helpers';

useClock();
const server = app(session({ secretKey: 'example' }), {
  'GET /': (req, res) => sendJson(res, req.session),
});
const good = signed({ some: 'data' });
/** A payload signed with the right secret, as only someone holding the secret could make. */
function signRaw(payloadBase64: string): string {
  const text = `${payloadBase64}.ZVPxAA`;
  return `${text}.${createHmac('sha1', deriveKey('example')).update(text).digest('base64url')}`;
}
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('session(options)', () => {
  describe('when reading the Cookie header', () => {
    it.each<[string, string, string | undefined]>([
      ['a single cookie', 'session=abc', 'abc'],
      ['no such cookie', 'other=abc', undefined],
      ['a cookie whose name only contains it', 'xsession=abc; sessionx=def', undefined],
      ['spaces around name and value', '  session =  abc  ; x=1', 'abc'],
      ['duplicates: the last one (S24)', 'session=first; session=second', 'second'],
      ['a double-quoted value (S19)', 'session="abc"', 'abc'],
      ['a quoted value with escapes', 'session="a\\"b\\\\c\\012"', 'a"b\\c\n'],
      ['a value holding "="', 'session=a=b==', 'a=b=='],
      ['chunks without "="', 'garbage; session=abc; ;;', 'abc'],
      ['an empty value', 'session=', ''],
      ['a lone quote', 'session="', '"'],
    ])('%s: %j → %j', (_name, header, expected) => {
      expect(readCookie(header, 'session')).toBe(expected);
    });

    it.each([
      ['200 KB of semicolons', `session${';'.repeat(200 * 1024)}`],
      ['200 KB of "a;" after one pair', `session=x;${'a;'.repeat(100 * 1024)}`],
      ['200 KB of "a=1;" pairs', `${'a=1;'.repeat(50 * 1024)}session=x`],
    ])('scans %s in linear time', (_name, header) => {
      const started = performance.now();
      for (let i = 0; i < 5; i++) readCookie(header, 'session');
      expect(performance.now() - started).toBeLessThan(250);
    });

    it('leaves an unquoted value alone', () => {
      expect(unquote('a"b')).toBe('a"b');
    });

    it('reads a quoted cookie value', async () => {
      const res = await request(server).get('/').set('Cookie', `session="${good}"`);
      expect(res.body).toEqual({ some: 'data' });
    });

    describe('when several cookies share the name (issue 13.10)', () => {
      const other = signed({ other: 'app' }, 'sibling');
      it.each<[string, string, unknown]>([
        ['a bad one last', `session=${good}; session=bogus`, { some: 'data' }],
        ['a bad one first', `session=bogus; session=${good}`, { some: 'data' }],
        [
          "a sibling app's (foreign secret) last",
          `session=${good}; session=${other}`,
          { some: 'data' },
        ],
        [
          'an expired one last',
          `session=${good}; session=${signed({ old: 1 }, 'example', 1)}`,
          { some: 'data' },
        ],
        [
          'two that verify: the last wins (Starlette)',
          `session=${signed({ a: 1 })}; session=${good}`,
          { some: 'data' },
        ],
        ['none that verifies', `session=bogus; session=${other}`, {}],
      ])('reads the one that verifies with %s', async (_name, header, expected) => {
        const res = await request(server).get('/').set('Cookie', header);
        expect(res.body).toEqual(expected);
      });
    });

    it('reads the cookie among others', async () => {
      const res = await request(server).get('/').set('Cookie', `a=1; session=${good}; b=2`);
      expect(res.body).toEqual({ some: 'data' });
    });
  });

  describe('when the cookie is bad', () => {
    it.each<[string, string]>([
      ['empty', ''],
      ['not signed (S05 "invalid")', 'invalid'],
      ['tampered payload', good.replace(/^eyJ/, 'eyK')],
      ['signed with a foreign secret', signed({ some: 'data' }, 'foreign')],
      ['expired (14 days + 1 s old)', signed({ some: 'data' }, 'example', 1700000000 - 1209601)],
      ['from the future', signed({ some: 'data' }, 'example', 1700000001)],
      ['the signature missing', good.slice(0, good.lastIndexOf('.'))],
      ['the timestamp missing', `${good.split('.')[0]}.${good.split('.')[2]}`],
      ['non-ASCII bytes', `${good}é`],
      ['a payload that is not base64 (signed, S20)', signRaw('@@@@')],
      ['a payload without its padding (signed)', signRaw(b64('{"a": 1}').replace(/=+$/, ''))],
      [
        'a payload that is not UTF-8 (signed)',
        signRaw(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')),
      ],
      ['a payload that is not JSON (signed, S20)', signRaw(b64('{nope'))],
      ['a JSON list (signed, S21)', signRaw(b64('[1, 2]'))],
      ['a JSON string (signed)', signRaw(b64('"s"'))],
      ['JSON null (signed)', signRaw(b64('null'))],
      ['a JSON number (signed)', signRaw(b64('42'))],
      ["Python's NaN (signed)", signRaw(b64('{"a": NaN}'))],
    ])('%s: gives an empty session with 200 and no Set-Cookie', async (_name, value) => {
      const res = await request(server).get('/').set('Cookie', `session=${value}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expect(setCookies(res)).toEqual([]);
    });

    it('keeps a "__proto__" key as data, not as the prototype', async () => {
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${signRaw(b64('{"__proto__": {"polluted": 1}, "a": 1}'))}`);
      expect(res.body).toEqual({ ['__proto__']: { polluted: 1 }, a: 1 });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
