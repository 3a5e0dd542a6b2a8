import request from 'supertest';
import { cors } from '@mw/cors';
import { corsLines, O, rawRequest, serve } from './helpers';

const PREFLIGHT_VARY =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

const neverRuns = () => {
  throw new Error('the app ran on a preflight');
};

describe('cors(options)', () => {
  describe('when a preflight is allowed', () => {
    it("CORS-1(a): answers 200 OK with the origin, mirrored headers and credentials (origins listed: '*' with credentials is a construction error in our contract)", async () => {
      expect(() =>
        cors({
          allowOrigins: ['*'],
          allowHeaders: ['*'],
          allowMethods: ['*'],
          allowCredentials: true,
        }),
      ).toThrow(/option "allowOrigins"/);
      const app = serve(
        {
          allowOrigins: [O],
          allowHeaders: ['*'],
          allowMethods: ['*'],
          exposeHeaders: ['X-Status'],
          allowCredentials: true,
        },
        neverRuns,
      );
      const res = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Example');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-headers']).toBe('X-Example');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers.vary).toBe(PREFLIGHT_VARY);
    });

    it("CORS-2(a): answers '*' and mirrors the headers, without credentials (with Starlette 1.7's 4-token Vary)", async () => {
      const app = serve(
        {
          allowOrigins: ['*'],
          allowHeaders: ['*'],
          allowMethods: ['*'],
          exposeHeaders: ['X-Status'],
        },
        neverRuns,
      );
      const res = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Example');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-headers']).toBe('X-Example');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toBe(PREFLIGHT_VARY);
    });

    it('CORS-3(a): answers the origin and the sorted list of allowed headers with the safelisted four', async () => {
      const app = serve(
        { allowOrigins: [O], allowHeaders: ['X-Example', 'Content-Type'] },
        neverRuns,
      );
      const res = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Example, Content-Type');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-headers']).toBe(
        'Accept, Accept-Language, Content-Language, Content-Type, X-Example',
      );
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it("CORS-5: names the request's origin with credentials (origins listed: '*' with credentials is a construction error in our contract)", async () => {
      const app = serve(
        { allowOrigins: [O], allowMethods: ['POST'], allowCredentials: true },
        neverRuns,
      );
      const res = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'POST');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(O);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers.vary).toBe(PREFLIGHT_VARY);
    });

    it("CORS-6: answers 'allowMethods: [*]' with exactly the seven methods (not Starlette 1.7's QUERY)", async () => {
      const app = serve({ allowOrigins: ['*'], allowMethods: ['*'] }, neverRuns);
      for (let i = 0; i < 7; i++) {
        const res = await request(app)
          .options('/')
          .set('Origin', O)
          .set('Access-Control-Request-Method', 'POST');
        expect(res.status).toBe(200);
        expect(res.headers['access-control-allow-methods']).toBe(
          'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
        );
      }
    });

    it.each(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])(
      "allows the method %s under allowMethods ['*']",
      async (method) => {
        const res = await request(serve({ allowOrigins: [O], allowMethods: ['*'] }, neverRuns))
          .options('/')
          .set('Origin', O)
          .set('Access-Control-Request-Method', method);
        expect(res.status).toBe(200);
      },
    );

    it("refuses QUERY under allowMethods ['*'] (Starlette 1.7 allows it; our contract does not)", async () => {
      const res = await request(serve({ allowOrigins: [O], allowMethods: ['*'] }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'QUERY');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS method');
    });

    it('C15: sends the golden raw headers in Starlette 1.7 order', async () => {
      const res = await rawRequest(
        serve(
          {
            allowOrigins: [O],
            allowMethods: ['GET', 'POST'],
            allowHeaders: ['X-Token'],
            allowCredentials: true,
            exposeHeaders: ['X-A', 'X-B'],
            maxAge: 3600,
          },
          neverRuns,
        ),
        'OPTIONS',
        [
          ['Origin', O],
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Headers', 'X-Token'],
        ],
      );
      expect(res.status).toBe(200);
      expect(res.body).toBe('OK');
      expect(corsLines(res)).toEqual([
        ['vary', PREFLIGHT_VARY],
        ['access-control-allow-methods', 'GET, POST'],
        ['access-control-max-age', '3600'],
        [
          'access-control-allow-headers',
          'Accept, Accept-Language, Content-Language, Content-Type, X-Token',
        ],
        ['access-control-allow-credentials', 'true'],
        ['access-control-allow-origin', O],
        ['content-length', '2'],
        ['content-type', 'text/plain; charset=utf-8'],
      ]);
    });

    it('sorts allowHeaders by code point, keeping case variants (Starlette)', async () => {
      const res = await request(
        serve({ allowOrigins: [O], allowHeaders: ['x-custom', 'Authorization', 'content-type'] }),
      )
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-CUSTOM,authorization');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-headers']).toBe(
        'Accept, Accept-Language, Authorization, Content-Language, Content-Type, content-type, x-custom',
      );
    });

    it('C09: sends no Access-Control-Allow-Headers under allowHeaders [*] when none were requested', async () => {
      const res = await request(serve({ allowOrigins: [O], allowHeaders: ['*'] }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    });

    it('sends Access-Control-Max-Age: 0 for maxAge 0', async () => {
      const res = await request(serve({ allowOrigins: [O], maxAge: 0 }))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers['access-control-max-age']).toBe('0');
    });

    it('C13: lets an OPTIONS request without Access-Control-Request-Method reach the app', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .options('/')
        .set('Origin', O);
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-origin']).toBe(O);
    });

    it('treats an OPTIONS request with Access-Control-Request-Method but no Origin as an ordinary request', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .options('/')
        .set('Access-Control-Request-Method', 'GET');
      expect(res.text).toBe('Homepage');
      expect(res.headers.vary).toBe('Origin');
    });
  });

  describe('when a preflight is refused', () => {
    it('CORS-4(a): answers 400 naming origin, method and headers, without reaching the app', async () => {
      const app = serve({ allowOrigins: [O], allowHeaders: ['X-Example'] }, neverRuns);
      const res = await request(app)
        .options('/')
        .set('Origin', 'https://another.org')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'X-Nope');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS origin, method, headers');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('CORS-4(b): names headers once however many are refused', async () => {
      const app = serve({ allowOrigins: [O], allowHeaders: ['X-Example'] }, neverRuns);
      const res = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Nope-1, X-Nope-2');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS headers');
    });

    it('C03: answers the default options with 400 origin and every computed header', async () => {
      const res = await rawRequest(serve({}, neverRuns), 'OPTIONS', [
        ['Origin', 'https://anywhere.example'],
        ['Access-Control-Request-Method', 'GET'],
      ]);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Disallowed CORS origin');
      expect(corsLines(res)).toEqual([
        ['vary', PREFLIGHT_VARY],
        ['access-control-allow-methods', 'GET'],
        ['access-control-max-age', '600'],
        ['access-control-allow-headers', 'Accept, Accept-Language, Content-Language, Content-Type'],
        ['content-length', '22'],
        ['content-type', 'text/plain; charset=utf-8'],
      ]);
    });

    it('C05: still names an allowed origin when only the method fails', async () => {
      const res = await request(serve({ allowOrigins: [O] }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'DELETE');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS method');
      expect(res.headers['access-control-allow-origin']).toBe(O);
    });

    it("C06: still sends '*' under a wildcard when the headers fail", async () => {
      const res = await request(serve({ allowOrigins: ['*'] }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'X-Nope');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS headers');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it.each([
      ['get', ['GET'], 'C07: a lower-case requested method'],
      ['GET', ['get'], 'C08: an upper-case request against a lower-case configured method'],
    ])(
      'refuses %j against allowMethods %j (%s: compared case-sensitively)',
      async (asked, methods) => {
        const res = await request(serve({ allowOrigins: [O], allowMethods: methods }, neverRuns))
          .options('/')
          .set('Origin', O)
          .set('Access-Control-Request-Method', asked);
        expect(res.status).toBe(400);
        expect(res.text).toBe('Disallowed CORS method');
        expect(res.headers['access-control-allow-methods']).toBe(methods[0]);
      },
    );

    it('joins every failing part in Starlette order, private-network last', async () => {
      const res = await request(serve({ allowOrigins: [O] }, neverRuns))
        .options('/')
        .set('Origin', 'https://other.example')
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'X-Nope')
        .set('Access-Control-Request-Private-Network', 'true');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS origin, method, headers, private-network');
    });
  });

  describe('when a preflight asks for private network access', () => {
    const options = { allowOrigins: ['*'], allowMethods: ['*'], allowPrivateNetwork: true };

    it('CORS-15(a): answers Access-Control-Allow-Private-Network: true when allowed', async () => {
      const res = await request(serve(options, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Private-Network', 'true');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-private-network']).toBe('true');
    });

    it('CORS-15(b): sends no Access-Control-Allow-Private-Network when not asked', async () => {
      const res = await request(serve(options, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-private-network']).toBeUndefined();
    });

    it('CORS-15(c): sends no Access-Control-Allow-Private-Network on an actual GET', async () => {
      const res = await request(serve(options))
        .get('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Private-Network', 'true');
      expect(res.status).toBe(200);
      expect(res.text).toBe('Homepage');
      expect(res.headers['access-control-allow-private-network']).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeDefined();
    });

    it('CORS-16(a): answers 200 without the header when the option is off and nothing is asked', async () => {
      const res = await request(serve({ ...options, allowPrivateNetwork: false }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['access-control-allow-private-network']).toBeUndefined();
    });

    it('CORS-16(b): answers 400 Disallowed CORS private-network when the option is off', async () => {
      const res = await request(serve({ ...options, allowPrivateNetwork: false }, neverRuns))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Private-Network', 'true');
      expect(res.status).toBe(400);
      expect(res.text).toBe('Disallowed CORS private-network');
      expect(res.headers['access-control-allow-private-network']).toBeUndefined();
    });
  });
});
