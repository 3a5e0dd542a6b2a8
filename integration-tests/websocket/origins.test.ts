/**
 * cors's cross-site WebSocket hijacking guard, through `upgradeGuard` and real `ws` servers and
 * clients: same-origin, policy-allowed and Origin-less handshakes open; every other one gets
 * `403 Disallowed WebSocket origin` before the session is loaded.
 */
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import request from 'supertest';
import { selfSignedCertificate } from '../../test-support/http';
import { guardedServer, handshake } from '../../test-support/websocket';
import type { GuardedServer } from '../../test-support/websocket';

const certificate = selfSignedCertificate();
let server: GuardedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const policy: CorsOptions = {
  allowOrigins: ['https://app.example.com', 'https://*.tenant.example', 'null'],
  allowOriginRegex: /https:\/\/preview-\d+\.example\.net/,
};

/** `{port}` in an Origin stands for the test server's own port. */
type Case = [string, string | undefined, boolean];

describe('cors(options) on a WebSocket upgrade', () => {
  describe.each<Case>([
    ['no Origin (not a browser)', undefined, true],
    ['its own origin', 'http://127.0.0.1:{port}', true],
    ['its own origin spelled in upper case', 'HTTP://127.0.0.1:{port}', true],
    ['a listed origin', 'https://app.example.com', true],
    ['a listed origin with its default port', 'https://app.example.com:443', true],
    ['a wildcard-allowed origin', 'https://a.b.tenant.example', true],
    ['a regex-allowed origin', 'https://preview-42.example.net', true],
    ['another site', 'https://evil.example', false],
    ['a listed origin on another scheme', 'http://app.example.com', false],
    ['Origin: null, even where listed', 'null', false],
    ['a malformed Origin', 'https://app.example.com/path', false],
    ['the same host on another port', 'http://127.0.0.1:1', false],
  ])('from %s', (_name, originTemplate, opens) => {
    it(opens ? 'opens the connection' : 'is refused 403 Disallowed WebSocket origin', async () => {
      server = await guardedServer(cors(policy));
      const origin = originTemplate?.replace('{port}', String(server.port));
      const sent: Record<string, string> = origin === undefined ? {} : { Origin: origin };
      const result = await handshake(server.wsUrl, { headers: sent });
      if (opens) {
        expect(result).toMatchObject({ opened: true, message: 'hello' });
      } else {
        expect(result).toMatchObject({
          opened: false,
          status: 403,
          body: 'Disallowed WebSocket origin',
        });
        expect(result.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(server.accepted).toHaveLength(0);
      }
    });
  });

  it.each([
    ['example.com', 'http://example.com', true],
    ['example.com', 'http://example.com:80', true],
    ['example.com:80', 'http://example.com', true],
    ['example.com', 'https://example.com', false],
    ['example.com:443', 'https://example.com', true],
    ['Example.COM.', 'http://example.com', true],
    ['[::1]:8080', 'http://[0:0::1]:8080', true],
  ])('compares Host %s with Origin %s by host and port: opens %s', async (host, origin, opens) => {
    server = await guardedServer(cors());
    const result = await handshake(server.wsUrl, { headers: { Host: host, Origin: origin } });
    expect(result.status).toBe(opens ? 101 : 403);
  });

  it('does not let allowOrigins ["*"] admit cross-site handshakes (they carry cookies)', async () => {
    server = await guardedServer(cors({ allowOrigins: ['*'] }));
    const result = await handshake(server.wsUrl, { headers: { Origin: 'https://evil.example' } });
    expect(result).toMatchObject({ opened: false, status: 403 });
    const http = await request(server.url).get('/').set('Origin', 'https://evil.example');
    expect(http.headers['access-control-allow-origin']).toBe('*');
  });

  it.each([
    ['true', async () => true, 101],
    ['false', async () => false, 403],
    ['a sync true', () => true, 101],
  ])('asks allowOrigin, which resolves %s', async (_name, allowOrigin, status) => {
    server = await guardedServer(cors({ allowOrigin }));
    const result = await handshake(server.wsUrl, { headers: { Origin: 'https://t.example' } });
    expect(result.status).toBe(status);
  });

  it('answers 500 when allowOrigin fails, and reports the error', async () => {
    const failure = new Error('tenant database down');
    server = await guardedServer(cors({ allowOrigin: () => Promise.reject(failure) }));
    const result = await handshake(server.wsUrl, { headers: { Origin: 'https://t.example' } });
    expect(result).toMatchObject({ opened: false, status: 500 });
    expect(server.errors).toEqual([failure]);
  });

  it('compares with the TLS request own origin on a wss:// server', async () => {
    server = await guardedServer(cors(), { tls: certificate });
    const ca = certificate.cert;
    const own = await handshake(server.wsUrl, {
      ca,
      headers: { Origin: `https://127.0.0.1:${server.port}` },
    });
    expect(own).toMatchObject({ opened: true });
    const other = await handshake(server.wsUrl, {
      ca,
      headers: { Origin: 'https://evil.example' },
    });
    expect(other).toMatchObject({ opened: false, status: 403 });
  });

  it('refuses before the session is loaded, in a stack() in any order', async () => {
    const loaded: unknown[] = [];
    const mw = stack(session({ secretKey: 'k' }), cors(), (req, _res, next) => {
      loaded.push(req.session);
      next();
    });
    server = await guardedServer(mw);
    const result = await handshake(server.wsUrl, { headers: { Origin: 'https://evil.example' } });
    expect(result.status).toBe(403);
    expect(loaded).toEqual([]);
  });

  it('leaves plain HTTP requests to the CORS rules', async () => {
    server = await guardedServer(cors(policy));
    const res = await request(server.url).get('/').set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toBe('Origin');
  });
});

describe('cors(options) on a WebSocket upgrade behind a TLS-terminating proxy', () => {
  const proxied = { Host: 'example.com', 'X-Forwarded-Proto': 'https' };

  it.each([
    ['trusted (trustProxy: true)', { trustProxy: true }, 101],
    ['trusted by name (trustProxy: loopback)', { trustProxy: 'loopback' }, 101],
    ['not trusted (default outside Express)', {}, 403],
  ])(
    'sees https://example.com as its own origin when the proxy is %s',
    async (_n, opts, status) => {
      server = await guardedServer(cors(opts as CorsOptions));
      const result = await handshake(server.wsUrl, {
        headers: { ...proxied, Origin: 'https://example.com' },
      });
      expect(result.status).toBe(status);
    },
  );

  it('reads the trusted X-Forwarded-Host', async () => {
    server = await guardedServer(cors({ trustProxy: true }));
    const result = await handshake(server.wsUrl, {
      headers: { ...proxied, 'X-Forwarded-Host': 'app.example', Origin: 'https://app.example' },
    });
    expect(result.status).toBe(101);
  });
});

describe('cors(options) on a WebSocket upgrade with a stuck allowOrigin', () => {
  it('answers 500 once allowOriginTimeout has passed', async () => {
    server = await guardedServer(
      cors({ allowOrigin: () => new Promise<boolean>(() => {}), allowOriginTimeout: 50 }),
    );
    const result = await handshake(server.wsUrl, { headers: { Origin: 'https://t.example' } });
    expect(result).toMatchObject({ opened: false, status: 500 });
    expect(String(server.errors[0])).toMatch(/did not settle within 50 ms/);
  });
});
