/**
 * A real TLS-terminating proxy: Debian's nginx (HTTP/2 and HTTP/1.1 over TLS) in front of the
 * https-redirect README's Express app (examples/readme/https-redirect/behind-proxy.ts: the full
 * stack() under `app.set('trust proxy', 'loopback')`), with the README's nginx server block
 * (examples/deploy/nginx.conf). Needs `npm run build` and nginx on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import { selfSignedCertificate } from '../../test-support/http';
import { ROOT, curl, freePort, h2request, runExample, startNginx } from './support';
import type { Answer, Child } from './support';

const EXAMPLE = 'examples/readme/https-redirect/behind-proxy.ts';
let app: Child;
let appPort: number;
let nginx: Child & { port: number };

beforeAll(async () => {
  appPort = await freePort();
  app = await runExample(EXAMPLE, { PORT: String(appPort), SESSION_SECRET: 'nginx-test' });
  nginx = await startNginx(appPort, selfSignedCertificate());
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await app?.stop();
});

const cookieOf = (answer: Answer): string => {
  const value = answer.headers['set-cookie'];
  return (Array.isArray(value) ? value : [value ?? '']).join('\n');
};

describe('the full stack() behind nginx terminating TLS', () => {
  describe.each([
    ['HTTP/2 (curl --http2)', ['--http2'], '2'],
    ['HTTP/1.1 (curl --http1.1)', ['--http1.1'], '1.1'],
  ])('over %s', (_name, args, version) => {
    it('answers the app (no redirect loop) with HSTS and a Secure session cookie', async () => {
      const res = await curl(`https://localhost:${nginx.port}/`, args);
      expect(res.httpVersion).toBe(version);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ protocol: 'https', ip: '127.0.0.1', visits: 1 });
      expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      expect(cookieOf(res)).toMatch(
        /^session=[^;]+; path=\/; Max-Age=1209600; httponly; samesite=lax; secure$/,
      );
    });

    it('redirects a bare host to www keeping https, the port, path and query', async () => {
      const res = await curl(`https://example.com:${nginx.port}/reset?token=s3cret`, args);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(`https://www.example.com:${nginx.port}/reset?token=s3cret`);
    });

    it('refuses a host that is not allowed', async () => {
      const res = await curl(`https://evil.example:${nginx.port}/`, args);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Invalid host header');
    });
  });

  it("answers Node's http2 client through nginx, a Secure cookie and gzip included", async () => {
    const res = await h2request(`https://localhost:${nginx.port}`, {
      ':path': '/',
      'accept-encoding': 'identity',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ protocol: 'https', visits: 1 });
    expect(cookieOf(res)).toMatch(/; secure$/);
  });

  it('does not let a client forge X-Forwarded-Proto through nginx', async () => {
    // nginx replaces the client's X-Forwarded-Proto with $scheme: still https, still secure.
    const res = await curl(`https://localhost:${nginx.port}/`, ['-H', 'X-Forwarded-Proto: http']);
    expect([res.status, JSON.parse(res.body).protocol]).toEqual([200, 'https']);
  });
});

describe('the same app hit directly over plain HTTP', () => {
  it('is redirected to https, without HSTS and without a session cookie', async () => {
    const res = await curl(`http://localhost:${appPort}/account?x=1`, ['--http1.1']);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`https://localhost:${appPort}/account?x=1`);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

/** Starts `example` behind its own nginx for the enclosing describe block. */
function deployed(example: string) {
  const running = {} as { app: Child; appPort: number; nginx: Child & { port: number } };
  beforeAll(async () => {
    running.appPort = await freePort();
    running.app = await runExample(example, { PORT: String(running.appPort) });
    running.nginx = await startNginx(running.appPort, selfSignedCertificate());
  }, 30_000);
  afterAll(async () => {
    await running.nginx?.stop();
    await running.app?.stop();
  });
  return running;
}

describe("trusted-host's README example behind nginx", () => {
  const site = deployed('examples/readme/trusted-host/behind-proxy.ts');

  it.each([['--http2'], ['--http1.1']])('keeps https in the www redirect (%s)', async (flag) => {
    const res = await curl(`https://example.com:${site.nginx.port}/a?b=1`, [flag]);
    expect([res.status, res.headers.location]).toEqual([
      307,
      `https://www.example.com:${site.nginx.port}/a?b=1`,
    ]);
  });

  it('agrees with req.hostname and req.protocol', async () => {
    const res = await curl(`https://www.example.com:${site.nginx.port}/`, ['--http2']);
    expect([res.status, res.body]).toEqual([200, 'Hello www.example.com over https']);
  });

  it('refuses a host that is not allowed, through nginx and directly', async () => {
    expect((await curl(`https://evil.example:${site.nginx.port}/`)).status).toBe(400);
    expect((await curl(`http://evil.example:${site.appPort}/`)).status).toBe(400);
  });
});

describe("session's README example behind nginx", () => {
  const site = deployed('examples/readme/session/behind-proxy.ts');

  it('marks the cookie Secure through nginx (HTTP/2), and the session comes back', async () => {
    const first = await curl(`https://localhost:${site.nginx.port}/`, ['--http2']);
    expect(first.body).toBe('visits: 1');
    const cookie = cookieOf(first);
    expect(cookie).toMatch(/; secure$/);
    const second = await curl(`https://localhost:${site.nginx.port}/`, [
      ...['--http2', '-H', `Cookie: ${cookie.split(';')[0]}`],
    ]);
    expect(second.body).toBe('visits: 2');
  });

  it('leaves Secure off over plain HTTP straight to the app', async () => {
    const res = await curl(`http://localhost:${site.appPort}/`);
    expect(res.body).toBe('visits: 1');
    expect(cookieOf(res)).toMatch(/samesite=lax$/);
  });
});

describe('the READMEs', () => {
  /** Every block whose marker names one of the examples these deployment tests run. */
  const OWN = /^examples\/(deploy\/nginx\.conf|readme\/[a-z-]+\/(behind-proxy\.ts|http2\.mjs))$/;
  const blocks = ['https-redirect', 'trusted-host', 'session'].flatMap((pkg) => {
    const readme = fs.readFileSync(path.join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
    const found = [...readme.matchAll(/<!-- example: (\S+) -->\n```\w+\n([\s\S]*?)```/g)];
    return found.filter((m) => OWN.test(m[1]!)).map((m) => [pkg, m[1]!, m[2]!] as const);
  });

  it('show the nginx config in all three packages', () => {
    expect(blocks.filter(([, file]) => file.endsWith('nginx.conf')).map(([pkg]) => pkg)).toEqual([
      'https-redirect',
      'trusted-host',
      'session',
    ]);
  });

  it.each(blocks)('%s shows %s exactly as the tests run it', (_pkg, file, text) => {
    expect(text).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });
});
