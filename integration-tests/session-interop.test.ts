/**
 * Interoperability with the real thing: itsdangerous (2.1.2 or newer; Debian's
 * python3-itsdangerous) signs a cookie exactly as Starlette's SessionMiddleware does and @mw
 * reads it; @mw's cookie is verified, decoded and re-encoded by Python byte for byte. Runs
 * `$PYTHON`, else `/usr/bin/python3` (not a pyenv `python3` on PATH, which lacks itsdangerous).
 */
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { session } from '@mw/session';
import { frameworks } from './support/frameworks';

const PYTHON = process.env.PYTHON || '/usr/bin/python3';
/** The oldest itsdangerous whose TimestampSigner output Starlette 1.7 relies on. */
const MIN_ITSDANGEROUS = [2, 1, 2];

/** `a` >= `b`, comparing dotted release numbers part by part (`2.10.0` >= `2.9.1`). */
function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < minimum.length; i++) {
    const [have, want] = [parts[i] ?? 0, minimum[i] ?? 0];
    if (have !== want) return have > want;
  }
  return true;
}
const SECRET = 'shared-with-fastapi';

/** Runs `script` under Debian's Python with `input` on stdin; returns stdout. */
function python(script: string, input: string): string {
  return execFileSync(PYTHON, ['-c', script], { input, encoding: 'utf8' }).trim();
}

// Starlette: `TimestampSigner(str(secret_key)).sign(b64encode(json.dumps(session).encode()))`.
const SIGN = `
import sys, json
from base64 import b64encode
from itsdangerous import TimestampSigner
secret, data = sys.stdin.read().split("\\n", 1)
print(TimestampSigner(secret).sign(b64encode(json.dumps(json.loads(data)).encode("utf-8"))).decode())
`;

// Starlette: `json.loads(b64decode(signer.unsign(data, max_age=self.max_age)))`; prints the
// data and whether Python's own encoding of it is the payload @mw wrote, byte for byte.
const VERIFY = `
import sys, json
from base64 import b64decode, b64encode
from itsdangerous import TimestampSigner
secret, cookie = sys.stdin.read().split("\\n", 1)
payload = TimestampSigner(secret).unsign(cookie.strip().encode(), max_age=1209600)
data = json.loads(b64decode(payload))
print(json.dumps({"data": data, "identical": b64encode(json.dumps(data).encode()) == payload}))
`;

const DATA = { name: 'Zoë', emoji: '😀', cart: ['apple', { qty: 2 }], ok: true, none: null };

describe('session(options) and itsdangerous', () => {
  it.each([
    ['2.1.2', true],
    ['2.2.0', true],
    ['2.10.0', true],
    ['3.0', true],
    ['2.1.1', false],
    ['2.0.9', false],
    ['1.1.0', false],
  ])('reads version %s as %s against the minimum 2.1.2', (version, ok) => {
    expect(atLeast(version, MIN_ITSDANGEROUS)).toBe(ok);
  });

  it(`runs against itsdangerous ${MIN_ITSDANGEROUS.join('.')} or newer`, () => {
    const version = python(
      'from importlib.metadata import version; print(version("itsdangerous"))',
      '',
    );
    expect({ version, supported: atLeast(version, MIN_ITSDANGEROUS) }).toEqual({
      version,
      supported: true,
    });
  });

  describe.each(frameworks.filter((fw) => fw.name === 'Express 5' || fw.name === 'node:http'))(
    'under $name',
    (fw) => {
      const listener = fw.create([session({ secretKey: SECRET })], (req, res) => {
        if (req.method === 'POST') Object.assign(req.session, DATA);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(req.session));
      });

      it('reads a cookie itsdangerous signed, without re-issuing it', async () => {
        const cookie = python(SIGN, `${SECRET}\n${JSON.stringify(DATA)}`);
        const res = await request(listener).get('/').set('Cookie', `session=${cookie}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(DATA);
        expect(res.headers['set-cookie']).toBeUndefined();
      });

      it('refuses a cookie itsdangerous signed under another secret', async () => {
        const cookie = python(SIGN, `other-secret\n${JSON.stringify(DATA)}`);
        const res = await request(listener).get('/').set('Cookie', `session=${cookie}`);
        expect(res.body).toEqual({});
      });

      it('writes a cookie itsdangerous verifies, with the JSON bytes Python would write', async () => {
        const res = await request(listener).post('/');
        const line = (res.headers['set-cookie'] as unknown as string[])[0]!;
        const cookie = /^session=([^;]+);/.exec(line)![1]!;
        expect(JSON.parse(python(VERIFY, `${SECRET}\n${cookie}`))).toEqual({
          data: DATA,
          identical: true,
        });
      });
    },
  );

  it('signs with the first of several keys so Python verifies with that key', async () => {
    const listener = frameworks[0]!.create(
      [session({ secretKey: [SECRET, 'old'] })],
      (req, res) => {
        req.session.a = 1;
        res.end();
      },
    );
    const res = await request(listener).get('/');
    const cookie = /^session=([^;]+);/.exec(
      (res.headers['set-cookie'] as unknown as string[])[0]!,
    )![1]!;
    expect(JSON.parse(python(VERIFY, `${SECRET}\n${cookie}`))).toEqual({
      data: { a: 1 },
      identical: true,
    });
  });
});
