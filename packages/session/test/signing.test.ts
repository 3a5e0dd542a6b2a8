/** The cookie value: itsdangerous TimestampSigner, golden vectors, age checks, key rotation. */
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { decodeTimestamp, deriveKey, encodeTimestamp } from '../src/signer';
import { GOLDEN_TIME, app, cookieValue, sendJson, setCookies, signed, useClock } from './helpers';

const clock = useClock();

function echo(options: SessionOptions) {
  return app(session(options), {
    'GET /': (req, res) => sendJson(res, req.session),
    'POST /': (req, res, body) => {
      Object.assign(req.session, body);
      sendJson(res, req.session);
    },
  });
}

// REFERENCE.md 2.3, checked there against itsdangerous 2.1.2 and 2.2.0.
const GOLDEN: [string, object, string][] = [
  ['example', { some: 'data' }, 'eyJzb21lIjogImRhdGEifQ==.ZVPxAA.DnuleGQm4eV-Ux8xFWlAxKw6OP8'],
  ['example', { name: 'Zoë' }, 'eyJuYW1lIjogIlpvXHUwMGViIn0=.ZVPxAA.2IuAMH-EB9QmB2_qs00KTTNkOvg'],
  ['example', { k: 'v' }, 'eyJrIjogInYifQ==.ZVPxAA.Vjx1SgIzSuOBXmJZ0Si1qcU5gns'],
  ['k', { a: 1 }, 'eyJhIjogMX0=.ZVPxAA.qlE_LN418NgPOudOZgW-fxHffHQ'],
];

describe('session(options)', () => {
  describe('the cookie value', () => {
    it.each(GOLDEN)(
      'reproduces the golden vector (secret %j, data %j)',
      async (secret, data, value) => {
        const res = await request(echo({ secretKey: secret }))
          .post('/')
          .send(data);
        expect(cookieValue(res)).toBe(value);
      },
    );

    it.each(GOLDEN)('reads the golden vector (secret %j, data %j)', async (secret, data, value) => {
      const res = await request(echo({ secretKey: secret }))
        .get('/')
        .set('Cookie', `session=${value}`);
      expect(res.body).toEqual(data);
    });

    it('derives the key as SHA1("itsdangerous.Signer" + "signer" + secret)', () => {
      expect(deriveKey('example').toString('hex')).toHaveLength(40);
      expect(deriveKey('example')).toEqual(deriveKey('example'));
      expect(deriveKey('example')).not.toEqual(deriveKey('example2'));
    });

    it.each([
      [1700000000, 'ZVPxAA'],
      [0, ''],
      [1, 'AQ'],
      [256, 'AQA'],
    ])('writes timestamp %d as %j (big-endian, zero bytes stripped, unpadded)', (n, text) => {
      expect(encodeTimestamp(n)).toBe(text);
      expect(decodeTimestamp(text)).toBe(n);
    });

    it.each(['ZVP+AA', 'ZVPxA=', 'Z'])('refuses the timestamp text %j', (text) => {
      expect(decodeTimestamp(text)).toBeUndefined();
    });
  });

  describe('the age check (inside the signature)', () => {
    const data = { some: 'data' };
    it.each<[string, number | null, number, boolean]>([
      [
        'age 0 with maxAge 0 (contract: <= 0 expires everything; Starlette accepts it)',
        0,
        0,
        false,
      ],
      ['age 1 with maxAge 0', 0, 1, false],
      ['age == maxAge', 100, 100, true],
      ['age == maxAge + 1', 100, 101, false],
      ['a timestamp 1 s in the future', 100, -1, false],
      ['maxAge -1 (every cookie expired)', -1, 0, false],
      ['maxAge null, 10 years old', null, 315360000, true],
      ['maxAge null, from the future', null, -1000, true],
    ])('%s: accepted = %s', async (_name, maxAge, age, accepted) => {
      clock.set(GOLDEN_TIME + age);
      const res = await request(echo({ secretKey: 'example', maxAge }))
        .get('/')
        .set('Cookie', `session=${signed(data)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(accepted ? data : {});
    });
  });

  describe('with several secret keys', () => {
    const options = { secretKey: ['new', 'old'] };

    it('signs with the first key', async () => {
      const res = await request(echo(options)).post('/').send({ a: 1 });
      expect(cookieValue(res)).toBe(signed({ a: 1 }, 'new'));
    });

    it('reads a cookie signed with an older key', async () => {
      const res = await request(echo(options))
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 }, 'old')}`);
      expect(res.body).toEqual({ a: 1 });
    });

    it('re-signs an old-key cookie with the newest key on that response, touched or not', async () => {
      const server = app(session(options), { 'GET /': (_req, res) => res.end('ok') });
      const res = await request(server)
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 }, 'old')}`);
      expect(cookieValue(res)).toBe(signed({ a: 1 }, 'new'));
      // Issue 13.11: the re-signed cookie is user-specific, so a shared cache must key on Cookie.
      expect(res.headers['vary']).toBe('Cookie');
    });

    it('does not re-issue a cookie already signed with the newest key', async () => {
      const res = await request(echo(options))
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 }, 'new')}`);
      expect(setCookies(res)).toEqual([]);
    });

    it('refuses a cookie signed with a key not in the list', async () => {
      const res = await request(echo(options))
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 }, 'other')}`);
      expect(res.body).toEqual({});
      expect(setCookies(res)).toEqual([]);
    });

    it('does not resurrect an expired old-key cookie', async () => {
      clock.set(GOLDEN_TIME + 1209601);
      const res = await request(echo(options))
        .get('/')
        .set('Cookie', `session=${signed({ a: 1 }, 'old')}`);
      expect(res.body).toEqual({});
      expect(setCookies(res)).toEqual([]);
    });
  });

  describe('a property: every single-byte change of a valid cookie is rejected', () => {
    const value = signed({ user: 'alice', roles: ['admin'] });
    const server = echo({ secretKey: 'example' });
    const replacements = ['A', 'a', '0', '-', '_', '+', '/', '=', '.', 'z'];
    const cases: [number, string][] = [];
    for (let i = 0; i < value.length; i++) {
      for (const ch of replacements) if (ch !== value[i]) cases.push([i, ch]);
    }

    it(`accepts the unchanged cookie (${value.length} positions, ${cases.length} changes)`, async () => {
      const res = await request(server).get('/').set('Cookie', `session=${value}`);
      expect(res.body).toEqual({ user: 'alice', roles: ['admin'] });
    });

    it('rejects each change with an empty session and a 200', async () => {
      const accepted: string[] = [];
      for (const [i, ch] of cases) {
        const changed = value.slice(0, i) + ch + value.slice(i + 1);
        const res = await request(server).get('/').set('Cookie', `session=${changed}`);
        if (res.status !== 200 || JSON.stringify(res.body) !== '{}') accepted.push(changed);
      }
      expect(accepted).toEqual([]);
    });

    it('rejects a cookie cut short or extended by one byte', async () => {
      for (const changed of [value.slice(0, -1), `${value}A`, value.slice(1), `A${value}`]) {
        const res = await request(server).get('/').set('Cookie', `session=${changed}`);
        expect(res.body).toEqual({});
      }
    });
  });
});
