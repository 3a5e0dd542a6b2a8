import request from 'supertest';
import { O, rawRequest, serve } from './helpers';
import type { Handler } from './helpers';

const varyApp: Handler = (_req, res) => {
  res.setHeader('Vary', 'Accept-Encoding');
  res.end('Homepage');
};

describe('cors(options)', () => {
  describe('Vary on actual responses', () => {
    it('CORS-10: is Origin for an allowed listed origin', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .get('/')
        .set('Origin', O);
      expect(res.status).toBe(200);
      expect(res.headers.vary).toBe('Origin');
    });

    it("CORS-11: adds Origin after the app's Vary under '*' (Starlette 1.7 #3516; Starlette 1.3 left it out)", async () => {
      const res = await request(serve({ allowOrigins: ['*'] }, varyApp))
        .get('/')
        .set('Origin', 'https://someplace.org');
      expect(res.headers.vary).toBe('Accept-Encoding, Origin');
    });

    it("CORS-12: adds Origin after the app's Vary with credentials (origin matched by wildcard entry: '*' with credentials is a construction error in our contract)", async () => {
      const res = await request(
        serve({ allowOrigins: ['https://*.someplace.org'], allowCredentials: true }, varyApp),
      )
        .get('/')
        .set('Origin', 'https://www.someplace.org');
      expect(res.headers['access-control-allow-origin']).toBe('https://www.someplace.org');
      expect(res.headers.vary).toBe('Accept-Encoding, Origin');
    });

    it("CORS-13: adds Origin after the app's Vary for a listed origin", async () => {
      const res = await request(serve({ allowOrigins: [O] }, varyApp))
        .get('/')
        .set('Origin', O);
      expect(res.headers.vary).toBe('Accept-Encoding, Origin');
    });

    it('is Origin for an origin that is not allowed (Beyond Starlette: every Origin-dependent answer)', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .get('/')
        .set('Origin', 'https://evil.example');
      expect(res.headers.vary).toBe('Origin');
    });

    it('is Origin for an origin refused by an allowOrigin predicate (the cors package omits it)', async () => {
      const res = await request(serve({ allowOrigin: () => false }))
        .get('/')
        .set('Origin', 'https://evil.example');
      expect(res.headers.vary).toBe('Origin');
    });

    it('is Origin for a request without Origin (Starlette 1.7)', async () => {
      const res = await request(serve({ allowOrigins: [O] })).get('/');
      expect(res.headers.vary).toBe('Origin');
    });

    it('does not repeat Origin when the app already varies on it', async () => {
      const res = await request(
        serve({ allowOrigins: [O] }, (_req, res) => {
          res.setHeader('Vary', 'origin');
          res.end();
        }),
      )
        .get('/')
        .set('Origin', O);
      expect(res.headers.vary).toBe('origin');
    });

    it('keeps Vary: * as it is', async () => {
      const res = await request(
        serve({ allowOrigins: [O] }, (_req, res) => {
          res.setHeader('Vary', '*');
          res.end();
        }),
      )
        .get('/')
        .set('Origin', O);
      expect(res.headers.vary).toBe('*');
    });

    it('merges every Vary line the app set into one (Starlette 1.7)', async () => {
      const app = serve({ allowOrigins: [O] }, (_req, res) => {
        res.setHeader('Vary', ['Accept-Encoding', 'Cookie']);
        res.end();
      });
      const res = await rawRequest(app, 'GET', [['Origin', O]]);
      expect(res.headers.filter(([n]) => n === 'vary')).toEqual([
        ['vary', 'Accept-Encoding, Cookie, Origin'],
      ]);
    });

    it('never copies the request Vary into the response (hono GHSA-q7jf-gf43-6x6p)', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .get('/')
        .set('Origin', O)
        .set('Vary', 'X-Evil');
      expect(res.headers.vary).toBe('Origin');
    });
  });

  describe('Vary on preflight answers', () => {
    const FOUR =
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

    it.each([
      ['allowed', O, 200],
      ['refused', 'https://evil.example', 400],
    ])('is the 4-token Starlette 1.7 value when the origin is %s', async (_n, origin, status) => {
      const res = await request(serve({ allowOrigins: [O] }))
        .options('/')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(status);
      expect(res.headers.vary).toBe(FOUR);
    });

    it('is merged into a Vary set by an earlier middleware, never overwriting it', async () => {
      const inner = serve({ allowOrigins: [O] });
      const listener = inner.listeners('request')[0] as (...a: unknown[]) => void;
      inner.removeAllListeners('request');
      inner.on('request', (req: unknown, res: { setHeader(n: string, v: string): void }) => {
        res.setHeader('Vary', 'Accept-Encoding');
        listener(req, res);
      });
      const res = await request(inner)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers.vary).toBe(`Accept-Encoding, ${FOUR}`);
    });
  });
});
