import type { IncomingMessage } from 'node:http';
import { compileTrustProxy, requestView } from '@mw/core';
import type { TrustProxy } from '@mw/core';

interface Shape {
  headers?: Record<string, string>;
  url?: string;
  h2?: boolean;
  encrypted?: boolean;
  remote?: string;
  app?: unknown;
}

/** A request as Node's http or http2 compat layer presents it. */
function request({
  headers = {},
  url = '/',
  h2 = false,
  encrypted = false,
  remote = '127.0.0.1',
  app,
}: Shape) {
  const rawHeaders = Object.entries(headers).flat();
  return {
    headers,
    rawHeaders,
    url,
    httpVersionMajor: h2 ? 2 : 1,
    socket: { encrypted, remoteAddress: remote },
    app,
  } as unknown as IncomingMessage;
}

const view = (shape: Shape, trustProxy?: TrustProxy) =>
  requestView(request(shape), compileTrustProxy('test', 'trustProxy', trustProxy));

describe('requestView(req, trust)', () => {
  describe('the host', () => {
    it.each<[string, Shape, string | undefined, number]>([
      ['HTTP/1.1 Host', { headers: { host: 'Example.com:8080' } }, 'example.com', 8080],
      [
        'HTTP/2 :authority without host',
        { h2: true, headers: { ':authority': 'a.example' } },
        'a.example',
        80,
      ],
      [
        'HTTP/2 host without :authority',
        { h2: true, headers: { host: 'a.example' } },
        'a.example',
        80,
      ],
      [
        'HTTP/2 :authority and host that agree',
        {
          h2: true,
          encrypted: true,
          headers: { ':authority': 'a.example', host: 'A.example:443' },
        },
        'a.example',
        443,
      ],
      [
        'HTTP/2 :authority and host that differ',
        { h2: true, headers: { ':authority': 'a.example', host: 'b.example' } },
        undefined,
        80,
      ],
      [
        'an absolute-form target naming Host',
        { url: 'http://a.example/x', headers: { host: 'a.example' } },
        'a.example',
        80,
      ],
      [
        'an absolute-form target with the default port spelt out',
        { url: 'http://a.example:80/x', headers: { host: 'a.example' } },
        'a.example',
        80,
      ],
      [
        'an absolute-form target naming another host',
        { url: 'http://evil.example/reset', headers: { host: 'good.example' } },
        undefined,
        80,
      ],
      [
        'an absolute-form target naming another port',
        { url: 'https://a.example/x', headers: { host: 'a.example:80' } },
        undefined,
        80,
      ],
      ['a missing Host', { headers: {} }, undefined, 80],
    ])('%s', (_name, shape, hostname, port) => {
      const result = view(shape);
      expect(result.host?.hostname).toBe(hostname);
      expect(result.port).toBe(port);
    });
  });

  describe('through proxies', () => {
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'www.example.com' };

    it('believes nobody by default outside Express', () => {
      const result = view({ headers: { host: 'backend:3000', ...proxied } });
      expect(result).toMatchObject({ scheme: 'http', secure: false, port: 3000 });
      expect(result.host?.hostname).toBe('backend');
    });

    it('reads the client scheme, host and port from a trusted proxy', () => {
      const result = view({ headers: { host: 'backend:3000', ...proxied } }, 'loopback');
      expect(result).toMatchObject({ scheme: 'https', secure: true, port: 443 });
      expect(result.host?.hostname).toBe('www.example.com');
      expect(result.hosts.map((h) => `${h.hostname}:${h.port}`)).toEqual([
        'backend:3000',
        'www.example.com:443',
      ]);
    });

    it('lists every X-Forwarded-Host value and takes the first as the client host', () => {
      const headers = { host: 'backend', 'x-forwarded-host': 'a.example:8443, b.example' };
      const result = view({ headers }, true);
      expect(result.host?.hostname).toBe('a.example');
      expect(result.port).toBe(8443);
      expect(result.hosts.map((h) => h.hostname)).toEqual(['backend', 'a.example', 'b.example']);
    });

    it.each(['evil.example/x', 'a.example,', 'user@a.example'])(
      'makes the host malformed for X-Forwarded-Host %j',
      (forwarded) => {
        const result = view({ headers: { host: 'backend', 'x-forwarded-host': forwarded } }, true);
        expect(result.host).toBeUndefined();
        expect(result.hosts).toEqual([]);
      },
    );

    it("follows the Express app's trust proxy setting when the option is not given", () => {
      const app = { get: (name: string) => (name === 'trust proxy fn' ? () => true : undefined) };
      expect(view({ headers: { host: 'h', ...proxied }, app }).secure).toBe(true);
      expect(view({ headers: { host: 'h', ...proxied }, app }, false).secure).toBe(false);
    });

    it('does not take HTTP/2 :scheme from a cleartext client', () => {
      const result = view({ h2: true, headers: { ':authority': 'a', ':scheme': 'https' } });
      expect(result.scheme).toBe('http');
    });
  });

  describe('the client address', () => {
    const xff = { host: 'h', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' };
    it.each<[string, TrustProxy | undefined, string, string]>([
      ['no trust: the socket peer', undefined, '127.0.0.1', '127.0.0.1'],
      ['one hop: the nearest forwarded entry', 1, '127.0.0.1', '10.0.0.1'],
      ['every hop: the leftmost entry', true, '127.0.0.1', '203.0.113.9'],
      ["'loopback' stops at 10.0.0.1", 'loopback', '127.0.0.1', '10.0.0.1'],
      [
        "'loopback, 10.0.0.0/8' reaches the client",
        'loopback, 10.0.0.0/8',
        '127.0.0.1',
        '203.0.113.9',
      ],
      ['an untrusted peer: its own address', 'loopback', '192.0.2.1', '192.0.2.1'],
      ['an IPv4-mapped peer as Express sees it', 1, '::ffff:127.0.0.1', '10.0.0.1'],
    ])('is %s', (_name, trust, remote, expected) => {
      expect(view({ headers: xff, remote }, trust).address).toBe(expected);
    });
  });

  it('is built once per request and trust', () => {
    const req = request({ headers: { host: 'a.example' } });
    const trust = compileTrustProxy('test', 'trustProxy', false);
    expect(requestView(req, trust)).toBe(requestView(req, trust));
  });
});
