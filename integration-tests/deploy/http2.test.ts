/**
 * Every package, unchanged, under node:http2: `createSecureServer` (h2 only, and with
 * `allowHTTP1`) and cleartext h2c `createServer`, each with a Connect app and a bare handler,
 * driven by Node's http2 client and by curl (`--http2`, `--http2-prior-knowledge` for h2c).
 * Chromium over h2 is in http2-browser.test.ts. Needs `npm run build`.
 */
import http2 from 'node:http2';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { Middleware } from '@mw/core';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { selfSignedCertificate } from '../../test-support/http';
import type { Certificate } from '../../test-support/http';
import { frameworks } from '../support/frameworks';
import { curl, h2request } from './support';
import type { Answer } from './support';

const ORIGIN = 'https://app.example';
const BIG = 'All work and no play. '.repeat(200);
let certificate: Certificate;
beforeAll(() => {
  certificate = selfSignedCertificate();
});

/** The app behind the middleware: a JSON answer, a streamed one with flushes, a login. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/stream') {
    res.setHeader('Content-Type', 'text/plain');
    res.write(BIG);
    (res as ServerResponse & { flush(): void }).flush();
    setTimeout(() => res.end(BIG), 5);
    return;
  }
  if (req.url === '/login') req.session.user = 'alice';
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ user: req.session?.user ?? null, pad: BIG }));
}

const servers = [
  { name: 'createSecureServer (h2 only)', secure: true, allowHTTP1: false },
  { name: 'createSecureServer({ allowHTTP1: true })', secure: true, allowHTTP1: true },
  { name: 'createServer (h2c, cleartext)', secure: false, allowHTTP1: false },
] as const;

type Server = (typeof servers)[number];
interface Running {
  origin: string;
  port: number;
  close(): Promise<void>;
}

async function start(kind: Server, listener: RequestListener): Promise<Running> {
  const h2listener = listener as unknown as (
    req: http2.Http2ServerRequest,
    res: http2.Http2ServerResponse,
  ) => void;
  const server = kind.secure
    ? http2.createSecureServer({ ...certificate, allowHTTP1: kind.allowHTTP1 }, h2listener)
    : http2.createServer(h2listener);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => sessions.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${kind.secure ? 'https' : 'http'}://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const body = (res: Answer): string => res.body;
const get = (path: string, extra: http2.OutgoingHttpHeaders = {}): http2.OutgoingHttpHeaders => ({
  ':path': path,
  ...extra,
});

describe.each(servers)('under http2.$name', (kind) => {
  const scheme = kind.secure ? 'https' : 'http';

  describe.each(frameworks.filter((f) => f.name === 'Connect 3' || f.name === 'node:http'))(
    'with $name',
    (fw) => {
      const running: Running[] = [];
      const serve = async (middleware: Middleware[]): Promise<Running> => {
        const server = await start(kind, fw.create(middleware, handler));
        running.push(server);
        return server;
      };
      afterEach(async () => {
        await Promise.all(running.splice(0).map((server) => server.close()));
      });

      describe('trustedHost()', () => {
        it('reads the host from :authority: allowed passes, others get 400', async () => {
          const { origin } = await serve([trustedHost({ allowedHosts: ['localhost'] })]);
          expect((await h2request(origin, get('/'))).status).toBe(200);
          const evil = await h2request(origin, get('/', { ':authority': 'evil.example' }));
          expect([evil.status, body(evil)]).toEqual([400, 'Invalid host header']);
        });

        it('refuses a host header that disagrees with :authority', async () => {
          const { origin } = await serve([trustedHost({ allowedHosts: ['localhost'] })]);
          const res = await h2request(origin, get('/', { host: 'evil.example' }));
          expect(res.status).toBe(400);
        });

        it(`redirects to www keeping ${scheme}, port, path and query`, async () => {
          const { origin, port } = await serve([
            trustedHost({ allowedHosts: ['www.example.com'] }),
          ]);
          const res = await h2request(
            origin,
            get('/reset?token=1', { ':authority': `example.com:${port}` }),
          );
          expect([res.status, res.headers.location]).toEqual([
            307,
            `${scheme}://www.example.com:${port}/reset?token=1`,
          ]);
        });
      });

      describe('httpsRedirect()', () => {
        if (kind.secure) {
          it('lets TLS requests through with HSTS', async () => {
            const { origin } = await serve([httpsRedirect({ hsts: { maxAge: 60 } })]);
            const res = await h2request(origin, get('/'));
            expect(res.status).toBe(200);
            expect(res.headers['strict-transport-security']).toBe('max-age=60; includeSubDomains');
          });
        } else {
          it('redirects h2c requests as HTTP/1.1 ones, httpsPort included', async () => {
            const { origin, port } = await serve([httpsRedirect({ hsts: { maxAge: 60 } })]);
            const res = await h2request(origin, get('/a?b=1'));
            expect([res.status, res.headers.location]).toEqual([
              307,
              `https://localhost:${port}/a?b=1`,
            ]);
            expect(res.headers['strict-transport-security']).toBeUndefined();
            const { origin: other } = await serve([httpsRedirect({ httpsPort: 8443 })]);
            const moved = await h2request(other, get('/'));
            expect(moved.headers.location).toBe('https://localhost:8443/');
          });
        }
      });

      describe('cors()', () => {
        it('answers a preflight and adds the simple headers', async () => {
          const { origin } = await serve([
            cors({ allowOrigins: [ORIGIN], allowMethods: ['PUT'], allowCredentials: true }),
          ]);
          const preflight = await h2request(origin, {
            ':method': 'OPTIONS',
            ':path': '/',
            origin: ORIGIN,
            'access-control-request-method': 'PUT',
          });
          expect([preflight.status, body(preflight)]).toEqual([200, 'OK']);
          expect(preflight.headers['access-control-allow-methods']).toBe('PUT');
          const simple = await h2request(origin, get('/', { origin: ORIGIN }));
          expect(simple.headers['access-control-allow-origin']).toBe(ORIGIN);
          expect(simple.headers.vary).toBe('Origin');
        });
      });

      describe('gzip()', () => {
        it.each(['/', '/stream'])('compresses %s (res.flush() included)', async (path) => {
          const { origin } = await serve([gzip()]);
          const raw = await h2request(origin, get(path, { 'accept-encoding': 'gzip' }));
          expect(raw.headers['content-encoding']).toBe('gzip');
          expect(raw.headers.vary).toBe('Accept-Encoding');
          const text = zlib.gunzipSync(raw.bytes).toString('utf8');
          expect(text).toContain(BIG);
          expect(raw.bytes.length).toBeLessThan(text.length / 10);
        });
      });

      describe('session()', () => {
        it('stores the session in a cookie and reads it back', async () => {
          const { origin } = await serve([session({ secretKey: 'h2', secure: 'auto' })]);
          const login = await h2request(origin, get('/login'));
          const cookie = String(login.headers['set-cookie']);
          expect(cookie).toMatch(kind.secure ? /; secure$/ : /samesite=lax$/);
          const again = await h2request(origin, get('/', { cookie: cookie.split(';')[0]! }));
          expect(JSON.parse(body(again)).user).toBe('alice');
          expect(again.headers.vary).toBe('Cookie');
        });
      });

      describe('the full stack()', () => {
        const full = (): Middleware[] => [
          stack(
            session({ secretKey: 'h2', secure: 'auto' }),
            gzip(),
            cors({ allowOrigins: [ORIGIN] }),
            httpsRedirect({ hsts: { maxAge: 60 } }),
            trustedHost({ allowedHosts: ['localhost'] }),
          ),
        ];

        it(`answers Node's http2 client`, async () => {
          const { origin, port } = await serve(full());
          const res = await h2request(
            origin,
            get('/login', { 'accept-encoding': 'gzip', origin: ORIGIN }),
          );
          if (!kind.secure) {
            expect([res.status, res.headers.location]).toEqual([
              307,
              `https://localhost:${port}/login`,
            ]);
            return;
          }
          expect(res.status).toBe(200);
          expect(res.headers['content-encoding']).toBe('gzip');
          expect(res.headers.vary).toBe('Cookie, Accept-Encoding, Origin');
          expect(res.headers['strict-transport-security']).toBe('max-age=60; includeSubDomains');
          expect(String(res.headers['set-cookie'])).toMatch(/^session=.*; secure$/);
          expect(JSON.parse(zlib.gunzipSync(res.bytes).toString()).user).toBe('alice');
        });

        it(`answers curl ${kind.secure ? '--http2' : '--http2-prior-knowledge'}`, async () => {
          const { port } = await serve(full());
          const flag = kind.secure ? '--http2' : '--http2-prior-knowledge';
          const res = await curl(`${scheme}://localhost:${port}/login`, [flag]);
          expect(res.httpVersion).toBe('2');
          if (!kind.secure) {
            expect([res.status, res.headers.location]).toEqual([
              307,
              `https://localhost:${port}/login`,
            ]);
            return;
          }
          expect(res.status).toBe(200);
          expect(res.headers['content-encoding']).toBe('gzip');
          expect(JSON.parse(res.body).user).toBe('alice');
          expect(res.headers['set-cookie']).toMatch(/; secure$/);
        });

        if (kind.allowHTTP1) {
          it('answers curl --http1.1 on the same server', async () => {
            const { port } = await serve(full());
            const res = await curl(`https://localhost:${port}/login`, ['--http1.1']);
            expect([res.httpVersion, res.status]).toEqual(['1.1', 200]);
            expect(res.headers['strict-transport-security']).toBe('max-age=60; includeSubDomains');
            expect(res.headers['set-cookie']).toMatch(/; secure$/);
          });
        }
      });
    },
  );
});
