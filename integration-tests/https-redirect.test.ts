/**
 * httpsRedirect under every framework, and end to end with a real TLS server: a self-signed
 * certificate for 127.0.0.1 is made with the `openssl` CLI, the plain-HTTP app redirects, and
 * the redirect is followed to the TLS listener, verified against that certificate.
 */
import https from 'node:https';
import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import { trustedHost } from '@mw/trusted-host';
import { stack } from '@mw/stack';
import { frameworks, listen } from './support/frameworks';
import type { Handler } from './support/frameworks';
import { listenOn, selfSignedCertificate } from '../test-support/http';

const app: Handler = (req, res) => res.end(`app ${req.url ?? ''}`);

let key = '';
let cert = '';
beforeAll(() => {
  ({ key, cert } = selfSignedCertificate());
});

interface TlsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GETs `url` over TLS, trusting only the test's certificate (so the handshake is verified). */
function getTls(url: string, headers: Record<string, string> = {}): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: cert, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

function listenTls(listener: Parameters<typeof listen>[0]) {
  return listenOn(https.createServer({ key, cert }, listener));
}

describe.each(frameworks)('httpsRedirect(options) under $name', (fw) => {
  it('redirects plain HTTP with 307 to https, path and query kept, port 80 dropped', async () => {
    const res = await request(fw.create([httpsRedirect()], app))
      .get('/a%20b/%C3%BC?q=%20x&y=1')
      .set('Host', 'example.com:80')
      .redirects(0);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('https://example.com/a%20b/%C3%BC?q=%20x&y=1');
  });

  it.each<[string, string]>([
    ['example.com:8080', 'https://example.com:8080/'],
    ['[::1]:80', 'https://[::1]/'],
  ])('redirects Host %j to %j', async (host, location) => {
    const res = await request(fw.create([httpsRedirect({ statusCode: 308 })], app))
      .get('/')
      .set('Host', host)
      .redirects(0);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(location);
  });

  it('answers a malformed Host with 400 and no Location', async () => {
    const res = await request(fw.create([httpsRedirect()], app))
      .get('/')
      .set('Host', 'evil.com/x')
      .redirects(0);
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid host header');
    expect(res.headers.location).toBeUndefined();
  });

  it('ignores a forged X-Forwarded-Proto by default, and believes a trusted proxy', async () => {
    const forged = await request(fw.create([httpsRedirect({ hsts: {} })], app))
      .get('/')
      .set('Host', 'example.com')
      .set('X-Forwarded-Proto', 'https')
      .redirects(0);
    expect(forged.status).toBe(307);
    expect(forged.headers['strict-transport-security']).toBeUndefined();
    const proxied = await request(fw.create([httpsRedirect({ trustProxy: 1, hsts: {} })], app))
      .get('/')
      .set('Host', 'example.com')
      .set('X-Forwarded-Proto', 'http, https');
    expect(proxied.status).toBe(200);
    expect(proxied.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('hands a throwing trust function to the framework error handler', async () => {
    const trustProxy = () => {
      throw new Error('no trust');
    };
    const res = await request(fw.create([httpsRedirect({ trustProxy })], app))
      .get('/')
      .set('Host', 'example.com');
    expect(res.status).toBe(500);
    expect(res.text).toBe('error: no trust');
  });

  it('over real TLS: follows the redirect to the TLS listener, which passes it through with HSTS', async () => {
    const mw = stack(
      httpsRedirect({ hsts: { maxAge: 600, preload: true } }),
      trustedHost({ allowedHosts: ['127.0.0.1'] }),
    );
    const tls = await listenTls(fw.create([mw], app));
    const plain = await listen(fw.create([mw], app));
    try {
      const first = await request(plain.url)
        .get('/p?q=1')
        .set('Host', `127.0.0.1:${tls.port}`)
        .redirects(0);
      expect(first.status).toBe(307);
      expect(first.headers['strict-transport-security']).toBeUndefined();
      const location = first.headers.location as string;
      expect(location).toBe(`https://127.0.0.1:${tls.port}/p?q=1`);
      const final = await getTls(location);
      expect(final.status).toBe(200);
      expect(final.body).toBe('app /p?q=1');
      expect(final.headers['strict-transport-security']).toBe(
        'max-age=600; includeSubDomains; preload',
      );
    } finally {
      await tls.close();
      await plain.close();
    }
  });

  it('over real TLS: a TLS request passes through whatever X-Forwarded-Proto says', async () => {
    const tls = await listenTls(fw.create([httpsRedirect()], app));
    try {
      const res = await getTls(`https://127.0.0.1:${tls.port}/x`, { 'X-Forwarded-Proto': 'http' });
      expect(res.status).toBe(200);
      expect(res.body).toBe('app /x');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await tls.close();
    }
  });
});
