import request from 'supertest';
import { corsLines, O, rawRequest, serve } from './helpers';
import type { Handler } from './helpers';

describe('cors(options)', () => {
  describe('when an actual request comes from an allowed origin', () => {
    const credentialed = {
      allowOrigins: [O],
      allowHeaders: ['*'],
      allowMethods: ['*'],
      exposeHeaders: ['X-Status'],
      allowCredentials: true,
    };

    it("CORS-1(b): reflects the origin with expose headers and credentials (origin listed: '*' with credentials is a construction error in our contract)", async () => {
      const res = await request(serve(credentialed)).get('/').set('Origin', O);
      expect(res.status).toBe(200);
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-expose-headers']).toBe('X-Status');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    it('CORS-1(c): answers the same when a Cookie is sent', async () => {
      const res = await request(serve(credentialed))
        .get('/')
        .set('Origin', O)
        .set('Cookie', 'star_cookie=sugar');
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-expose-headers']).toBe('X-Status');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
    });

    it('CORS-1(d): sends no Access-Control-Allow-Origin without an Origin', async () => {
      const res = await request(serve(credentialed)).get('/');
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it("CORS-2(b): answers '*' and the expose headers, without credentials", async () => {
      const app = serve({
        allowOrigins: ['*'],
        allowHeaders: ['*'],
        allowMethods: ['*'],
        exposeHeaders: ['X-Status'],
      });
      const res = await request(app).get('/').set('Origin', O);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toBe('X-Status');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it("CORS-2(c): sends no Access-Control-Allow-Origin under '*' without an Origin", async () => {
      const res = await request(serve({ allowOrigins: ['*'] })).get('/');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('CORS-3(b): reflects a listed origin without credentials', async () => {
      const app = serve({ allowOrigins: [O], allowHeaders: ['X-Example', 'Content-Type'] });
      const res = await request(app).get('/').set('Origin', O);
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('CORS-3(c): sends no Access-Control-Allow-Origin without an Origin', async () => {
      const res = await request(serve({ allowOrigins: [O] })).get('/');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it.each(['PATCH', 'POST', 'PUT', 'DELETE', 'GET', 'HEAD', 'OPTIONS'])(
      "CORS-7: lets a %s request reach the app under allowMethods ['*']",
      async (method) => {
        const app = serve({ allowOrigins: ['*'], allowMethods: ['*'] }, (req, res) => {
          res.setHeader('X-Method', req.method ?? '');
          res.end('Homepage');
        });
        const agent = request(app);
        const res = await agent[method.toLowerCase() as 'get']('/')
          .set('Origin', O)
          .send(['PATCH', 'POST', 'PUT'].includes(method) ? {} : undefined);
        expect(res.status).toBe(200);
        expect(res.headers['x-method']).toBe(method);
        expect(res.headers['access-control-allow-origin']).toBe('*');
      },
    );

    it('CORS-14: keeps no origin between requests', async () => {
      const app = serve({ allowOrigins: [O] });
      const first = await request(app).get('/').set('Origin', O);
      const other = await request(app).get('/').set('Origin', 'https://other.org');
      const again = await request(app).get('/').set('Origin', O);
      expect(first.headers['access-control-allow-origin']).toBe(O);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(again.headers['access-control-allow-origin']).toBe(O);
    });

    it("C20: replaces an Access-Control-Allow-Origin the app set with '*' under a wildcard", async () => {
      const app = serve({ allowOrigins: ['*'] }, (_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', 'https://x.y');
        res.end('Homepage');
      });
      const res = await request(app).get('/').set('Origin', O);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it.each<[string, Handler]>([
      [
        'writeHead with headers',
        (_req, res) => {
          res.writeHead(201, { 'Content-Type': 'text/plain', Vary: 'Accept-Encoding' });
          res.end('created');
        },
      ],
      [
        'writeHead with a status message',
        (_req, res) => {
          res.writeHead(202, 'Accepted Later');
          res.end();
        },
      ],
      ['an implicit head', (_req, res) => res.end('implicit')],
    ])('adds its headers when the app answers with %s', async (_name, handler) => {
      const res = await request(serve({ allowOrigins: [O] }, handler))
        .get('/')
        .set('Origin', O);
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers.vary).toMatch(/Origin$/);
    });

    it('sends the simple headers after the app headers, in Starlette 1.7 order', async () => {
      const app = serve(
        { allowOrigins: [O], allowCredentials: true, exposeHeaders: ['X-A', 'X-B'] },
        (_req, res) => {
          res.setHeader('X-App', '1');
          res.end('Homepage');
        },
      );
      const res = await rawRequest(app, 'GET', [['Origin', O]]);
      expect(corsLines(res).filter(([n]) => n !== 'content-length')).toEqual([
        ['x-app', '1'],
        ['access-control-allow-credentials', 'true'],
        ['access-control-expose-headers', 'X-A, X-B'],
        ['access-control-allow-origin', O],
        ['vary', 'Origin'],
      ]);
    });
  });

  describe('when an actual request comes from an origin that is not allowed', () => {
    it('lets the request reach the app and sends no Access-Control-Allow-Origin', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .get('/')
        .set('Origin', 'https://evil.example');
      expect(res.status).toBe(200);
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('C17: still sends credentials and expose headers, as Starlette 1.7 does (#2560; inert without ACAO)', async () => {
      const res = await request(
        serve({ allowOrigins: [O], allowCredentials: true, exposeHeaders: ['X-Status'] }),
      )
        .get('/')
        .set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-expose-headers']).toBe('X-Status');
    });
  });

  describe('when the app fails', () => {
    it('adds the CORS headers to the error answer too', async () => {
      const res = await request(
        serve({ allowOrigins: [O] }, (_req, res) => {
          res.statusCode = 500;
          res.end('boom');
        }),
      )
        .get('/')
        .set('Origin', O);
      expect(res.status).toBe(500);
      expect(res.headers['access-control-allow-origin']).toBe(O);
    });
  });
});
