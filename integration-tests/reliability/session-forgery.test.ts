/**
 * Session cookies an attacker can build: no edit of a valid cookie is accepted, nothing signed
 * without the secret is accepted, and the signed timestamp bounds the cookie's life exactly at
 * `maxAge`. Cookies are signed here with node:crypto following REFERENCE.md 2.3 (independent of
 * @mw/session's signer) so their timestamps are under the test's control; the clock is pinned by
 * mocking `Date.now`, which is what itsdangerous's `int(time.time())` maps to.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { session } from '@mw/session';
import { frameworks } from '../support/frameworks';
import { fcParams, header, rawRequest, serve, signCookie } from './support';

const SECRET = 'the real secret';
const MAX_AGE = 100;
/** A fixed "now" (seconds) for the expiry cases. */
const NOW = 1_800_000_000;
const DATA = '{"user": "alice", "role": "admin"}';

let port: number;
let close: () => Promise<void>;

beforeAll(async () => {
  const fw = frameworks.find((f) => f.name === 'node:http')!;
  const listener = fw.create(
    [session({ secretKey: [SECRET, 'an older secret'], maxAge: MAX_AGE })],
    (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ...req.session }));
    },
  );
  ({ port, close } = await serve(listener));
});
afterAll(() => close());
afterEach(() => jest.restoreAllMocks());

function pinClock(seconds: number): void {
  jest.spyOn(Date, 'now').mockReturnValue(seconds * 1000 + 500);
}

/** The session the server reads from `value` (an empty object when it refuses the cookie). */
async function sessionFor(value: string, resigned?: string): Promise<Record<string, unknown>> {
  const res = await rawRequest(
    port,
    `GET / HTTP/1.1\r\nHost: example.com\r\nCookie: session=${value}`,
  );
  expect(res.status).toBe(200);
  // Nothing is written back, except the re-signing of a cookie verified by an older key.
  expect(header(res, 'set-cookie')?.split(';')[0]).toBe(resigned && `session=${resigned}`);
  return JSON.parse(res.body.toString()) as Record<string, unknown>;
}

const ACCEPTED = { user: 'alice', role: 'admin' };

describe('session(options) given a valid cookie', () => {
  it('accepts it (so every refusal below can fail)', async () => {
    pinClock(NOW);
    await expect(sessionFor(signCookie(DATA, SECRET, NOW))).resolves.toEqual(ACCEPTED);
  });

  it('accepts one signed by an older key of the rotation, re-signed with the newest', async () => {
    pinClock(NOW);
    const old = signCookie(DATA, 'an older secret', NOW);
    await expect(sessionFor(old, signCookie(DATA, SECRET, NOW))).resolves.toEqual(ACCEPTED);
  });

  it('accepts the same value in double quotes (RFC 6265 DQUOTE form, not an edit of its bytes)', async () => {
    pinClock(NOW);
    await expect(sessionFor(`"${signCookie(DATA, SECRET, NOW)}"`)).resolves.toEqual(ACCEPTED);
  });
});

describe('session(options) given an edited cookie', () => {
  /** Characters a cookie value may hold without changing how it is split or unquoted. */
  const cookieChar = fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.!*~'.split(''),
  );
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), ch: cookieChar }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), ch: cookieChar }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), ch: fc.constant('') }),
  );

  it('refuses every mutation of its bytes (1-4 random replacements, insertions, deletions)', async () => {
    pinClock(NOW);
    const valid = signCookie(DATA, SECRET, NOW);
    await fc.assert(
      fc.asyncProperty(
        fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) =>
          edits.reduce((value, e) => {
            const at = e.at % (value.length + 1);
            if (e.kind === 'insert') return value.slice(0, at) + e.ch + value.slice(at);
            if (e.kind === 'delete') return value.slice(0, at) + value.slice(at + 1);
            return value.slice(0, at) + e.ch + value.slice(at + 1);
          }, valid),
        ),
        async (mutated) => {
          fc.pre(mutated !== valid);
          await expect(sessionFor(mutated)).resolves.toEqual({});
        },
      ),
      fcParams(300),
    );
  });

  it('refuses every truncation and every suffix', async () => {
    pinClock(NOW);
    const valid = signCookie(DATA, SECRET, NOW);
    for (let i = 1; i < valid.length; i++) {
      await expect(sessionFor(valid.slice(0, i))).resolves.toEqual({});
      await expect(sessionFor(valid.slice(i))).resolves.toEqual({});
    }
  });
});

describe('session(options) given a cookie built without the secret', () => {
  const [payload, ts, sig] = signCookie(DATA, SECRET, NOW).split('.') as [string, string, string];
  const other = signCookie('{"user": "mallory"}', SECRET, NOW - 5).split('.') as [
    string,
    string,
    string,
  ];

  it.each([
    ['an empty signature', `${payload}.${ts}.`],
    ['no signature', `${payload}.${ts}`],
    ['payload and timestamp swapped', `${ts}.${payload}.${sig}`],
    ['signature first', `${sig}.${payload}.${ts}`],
    ["another cookie's signature", `${payload}.${ts}.${other[2]}`],
    ["another cookie's timestamp", `${payload}.${other[1]}.${sig}`],
    ["another cookie's payload", `${other[0]}.${ts}.${sig}`],
    [
      'the signature in standard base64 with padding',
      `${payload}.${ts}.${Buffer.from(sig, 'base64url').toString('base64')}`,
    ],
    ['the signature upper-cased', `${payload}.${ts}.${sig.toUpperCase()}`],
    ['the signature doubled', `${payload}.${ts}.${sig}${sig}`],
    ['an extra part', `${payload}.${ts}.${sig}.${sig}`],
    ['a zero signature', `${payload}.${ts}.${'A'.repeat(27)}`],
    [
      'HMAC-SHA256 with the secret as key',
      `${payload}.${ts}.${createHmac('sha256', SECRET).update(`${payload}.${ts}`).digest('base64url')}`,
    ],
    [
      'HMAC-SHA1 with the raw secret (no itsdangerous key derivation)',
      `${payload}.${ts}.${createHmac('sha1', SECRET).update(`${payload}.${ts}`).digest('base64url')}`,
    ],
    ['the literal null', 'null'],
    ['dots only', '..'],
  ])('refuses %s', async (_name, value) => {
    pinClock(NOW);
    await expect(sessionFor(value)).resolves.toEqual({});
  });

  it('refuses any payload signed with any other secret', async () => {
    pinClock(NOW);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.string({ maxLength: 8 }),
          fc.oneof(fc.string(), fc.integer(), fc.boolean()),
          {
            maxKeys: 4,
          },
        ),
        fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((s) => s !== SECRET && s !== 'an older secret'),
        async (data, secret) => {
          await expect(sessionFor(signCookie(JSON.stringify(data), secret, NOW))).resolves.toEqual(
            {},
          );
        },
      ),
      fcParams(200),
    );
  });

  it.each([
    ['a JSON array', '["admin"]'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['broken JSON', '{"user": '],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ])(
    'gives an empty session, not an error, for a validly signed payload holding %s',
    async (_n, json) => {
      pinClock(NOW);
      await expect(sessionFor(signCookie(json, SECRET, NOW))).resolves.toEqual({});
    },
  );
});

describe(`session({ maxAge: ${MAX_AGE} }) at the expiry boundaries`, () => {
  it.each([
    ['signed now', 0, ACCEPTED],
    ['exactly maxAge seconds old', MAX_AGE, ACCEPTED],
    ['maxAge + 1 seconds old', MAX_AGE + 1, {}],
    ['a day old', 86400, {}],
    ['signed one second in the future', -1, {}],
    ['signed a year in the future', -31536000, {}],
  ])('a cookie %s', async (_name, age, expected) => {
    pinClock(NOW);
    await expect(sessionFor(signCookie(DATA, SECRET, NOW - age))).resolves.toEqual(expected);
  });

  it('refuses timestamps of 0 and of 2^53', async () => {
    pinClock(NOW);
    await expect(sessionFor(signCookie(DATA, SECRET, 0))).resolves.toEqual({});
    await expect(sessionFor(signCookie(DATA, SECRET, 2 ** 53))).resolves.toEqual({});
  });
});
