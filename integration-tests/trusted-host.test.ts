import net from 'node:net';
import request from 'supertest';
import { trustedHost } from '@mw/trusted-host';
import { httpsRedirect } from '@mw/https-redirect';
import { stack } from '@mw/stack';
import { frameworks, listen } from './support/frameworks';
import type { Handler } from './support/frameworks';

const app: Handler = (req, res) => res.end(`app ${req.url ?? ''}`);

/** Sends raw header lines (what supertest cannot: several Host lines) and returns the status. */
async function rawStatus(listener: Parameters<typeof listen>[0], head: string[]): Promise<string> {
  const server = await listen(listener);
  const { port } = new URL(server.url);
  try {
    return await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text.slice(0, text.indexOf('\r\n'))));
      socket.on('error', reject);
      socket.write(`${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n`);
    });
  } finally {
    await server.close();
  }
}

describe.each(frameworks)('trustedHost(options) under $name', (fw) => {
  const allowedHosts = ['example.com', '*.example.org', 'www.example.net', '[::1]'];
  const listener = () => fw.create([trustedHost({ allowedHosts })], app);

  it.each(['example.com', 'EXAMPLE.COM.:8080', 'a.b.example.org', '[::1]:3000'])(
    'passes the allowed Host %j to the app',
    async (host) => {
      const res = await request(listener()).get('/p?q=1').set('Host', host);
      expect(res.status).toBe(200);
      expect(res.text).toBe('app /p?q=1');
    },
  );

  it.each([
    'evil.com',
    'example.org',
    'evilexample.com',
    'example.com:abc',
    'example.com@evil.com',
    'evil.com/x',
  ])('answers the Host %j with 400 Invalid host header', async (host) => {
    const res = await request(listener()).get('/').set('Host', host);
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid host header');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('answers several Host lines with 400, even when "*" is allowed', async () => {
    const status = await rawStatus(fw.create([trustedHost()], app), [
      'GET / HTTP/1.1',
      'Host: example.com',
      'Host: evil.com',
    ]);
    expect(status).toBe('HTTP/1.1 400 Bad Request');
  });

  it('redirects a bare host to its allowed www. form with 307, port, path and query kept', async () => {
    const res = await request(listener())
      .get('/a%20b?x=1&y=%20')
      .set('Host', 'example.net:8080')
      .redirects(0);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('http://www.example.net:8080/a%20b?x=1&y=%20');
  });

  it('does not redirect with wwwRedirect: false', async () => {
    const mw = trustedHost({ allowedHosts, wwwRedirect: false });
    const res = await request(fw.create([mw], app))
      .get('/')
      .set('Host', 'example.net');
    expect(res.status).toBe(400);
  });

  it('runs before httpsRedirect in stack(), so Location never names a host that is not allowed', async () => {
    const mw = stack(httpsRedirect(), trustedHost({ allowedHosts: ['example.com'] }));
    const evil = await request(fw.create([mw], app))
      .get('/')
      .set('Host', 'evil.com')
      .redirects(0);
    expect(evil.status).toBe(400);
    expect(evil.headers.location).toBeUndefined();
    const good = await request(fw.create([mw], app))
      .get('/x')
      .set('Host', 'example.com')
      .redirects(0);
    expect(good.status).toBe(307);
    expect(good.headers.location).toBe('https://example.com/x');
  });
});

describe('trustedHost(options) mounted under a path', () => {
  it.each(['express', 'express4', 'connect'])(
    'keeps the mount path in the www-redirect under %s (originalUrl)',
    async (name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const create = require(name) as () => {
        use: (path: string, fn: unknown) => void;
      } & Parameters<typeof request>[0];
      const server = create();
      server.use('/sub', trustedHost({ allowedHosts: ['www.example.com'] }));
      const res = await request(server).get('/sub/x?y=1').set('Host', 'example.com').redirects(0);
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe('http://www.example.com/sub/x?y=1');
    },
  );
});
