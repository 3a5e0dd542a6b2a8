/** The 4096-byte limit on the whole Set-Cookie value. */
import request from 'supertest';
import { session } from '@mw/session';
import { app, setCookies, signed, useClock } from './helpers';

useClock();
// `session=` + value + `; path=/; Max-Age=1209600; httponly; samesite=lax`: the value of
// {"x": "<n a's>"} is base64 of 9 + n bytes plus 35 bytes of timestamp and signature.
const line = (n: number): string =>
  `session=${signed({ x: 'a'.repeat(n) })}; path=/; Max-Age=1209600; httponly; samesite=lax`;
let fits = 0;
while (line(fits + 1).length <= 4096) fits++;

function server(onError?: (err: Error) => void) {
  return app(session({ secretKey: 'example', ...(onError ? { onError } : {}) }), {
    'GET /auto': (req, res) => {
      req.session.x = 'a'.repeat(Number(new URL(req.url!, 'http://h').searchParams.get('n')));
      res.end();
    },
    'GET /save': (req, res) => {
      req.session.x = 'a'.repeat(Number(new URL(req.url!, 'http://h').searchParams.get('n')));
      req.session.save((err) => res.end(err ? err.message : 'saved'));
    },
  });
}

describe('session(options)', () => {
  describe('when the Set-Cookie value would exceed 4096 bytes', () => {
    it('sends a cookie of exactly 4096 bytes', async () => {
      expect(line(fits).length).toBeGreaterThan(4090);
      const res = await request(server()).get(`/auto?n=${fits}`);
      expect(setCookies(res)).toEqual([line(fits)]);
      expect(setCookies(res)[0]).toHaveLength(line(fits).length);
    });

    it('save(cb) gets an error naming the size and the limit, and nothing is sent', async () => {
      const errors: Error[] = [];
      const res = await request(server((err) => errors.push(err))).get(`/save?n=${fits + 1}`);
      expect(res.status).toBe(200);
      const size = line(fits + 1).length;
      expect(res.text).toContain(`${size} bytes`);
      expect(res.text).toContain('4096-byte limit');
      expect(setCookies(res)).toEqual([]);
      expect(errors).toEqual([]); // delivered once, to save(cb)
    });

    it('an automatic write reports through onError(err, req) and sends no Set-Cookie', async () => {
      const seen: [Error, string | undefined][] = [];
      const mw = session({
        secretKey: 'example',
        onError: (err, req) => seen.push([err, req.url]),
      });
      const res = await request(
        app(mw, {
          'GET /': (req, res) => {
            req.session.x = 'a'.repeat(5000);
            res.end();
          },
        }),
      )
        .get('/')
        .set('Cookie', `session=${signed({ x: 'old' })}`);
      expect(res.status).toBe(200);
      expect(setCookies(res)).toEqual([]); // the previous cookie stays valid
      expect(seen).toHaveLength(1);
      expect(seen[0]![1]).toBe('/');
      expect(seen[0]![0].message).toMatch(/would be \d+ bytes, over the 4096-byte limit/);
      expect(seen[0]![0]).toMatchObject({ code: 'ERR_MW_SESSION_TOO_LARGE', limit: 4096 });
    });

    it('logs with console.error by default, once', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const res = await request(server()).get(`/auto?n=${fits + 1}`);
        expect(setCookies(res)).toEqual([]);
        expect(spy).toHaveBeenCalledTimes(1);
        expect(String(spy.mock.calls[0]![0])).toMatch(/4096-byte limit/);
      } finally {
        spy.mockRestore();
      }
    });

    it('survives an onError that throws', async () => {
      const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const res = await request(
          server(() => {
            throw new Error('boom');
          }),
        ).get(`/auto?n=${fits + 1}`);
        expect(res.status).toBe(200);
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
