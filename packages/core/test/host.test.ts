import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { formatHost, normaliseHostPattern, parseHost, requestHost } from '@mw/core';

describe('parseHost(value)', () => {
  it.each<[string, string, number | undefined]>([
    ['example.com', 'example.com', undefined],
    ['Example.COM', 'example.com', undefined],
    ['example.com.', 'example.com', undefined],
    ['example.com:8080', 'example.com', 8080],
    ['EXAMPLE.com.:443', 'example.com', 443],
    ['localhost', 'localhost', undefined],
    ['127.0.0.1:3000', '127.0.0.1', 3000],
    ['my_host.internal', 'my_host.internal', undefined],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', undefined],
    ['[::1]', '[::1]', undefined],
    ['[::1]:8000', '[::1]', 8000],
    ['[2001:DB8::1]:80', '[2001:db8::1]', 80],
    ['example.com:0', 'example.com', 0],
    ['example.com:65535', 'example.com', 65535],
  ])('accepts %j as %j port %j', (value, hostname, port) => {
    expect(parseHost(value)).toEqual({ hostname, port, ipv6: hostname.startsWith('[') });
  });

  it.each([
    ['', 'empty'],
    ['example.com:', 'empty port'],
    ['example.com:abc', 'non-numeric port'],
    ['example.com:99999', 'port out of range'],
    ['example.com:123456', 'port too long'],
    ['example.com:+80', 'signed port'],
    ['example.com@evil.com', 'userinfo'],
    ['user:pass@example.com', 'userinfo with password'],
    ['evil.com/x', 'path'],
    ['example.com?x', 'query'],
    ['example.com#x', 'fragment'],
    ['exa%6Dple.com', 'percent-encoding'],
    ['exa mple.com', 'space'],
    ['example..com', 'empty label'],
    ['.example.com', 'leading dot'],
    ['example.com..', 'two trailing dots'],
    ['-example.com', 'label starting with a hyphen'],
    ['a'.repeat(64) + '.com', 'label over 63 characters'],
    [('a'.repeat(60) + '.').repeat(5), 'name over 253 characters'],
    ['::1', 'unbracketed IPv6'],
    ['[::1', 'unclosed bracket'],
    ['[::1]x', 'junk after the bracket'],
    ['[::g]', 'invalid IPv6'],
    ['[fe80::1%25eth0]', 'zone identifier'],
    ['[v1.fe]', 'IPvFuture'],
    ['example.com:80:80', 'two ports'],
  ])('rejects %j (%s)', (value) => {
    expect(parseHost(value)).toBeUndefined();
  });

  it('handles a 100 KB value in milliseconds', () => {
    const start = performance.now();
    expect(parseHost('a.'.repeat(50_000))).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(20);
  });
});

describe('normaliseHostPattern(pattern)', () => {
  it.each<[string, string | undefined]>([
    ['*.Example.com', '*.example.com'],
    ['*.example.com.', '*.example.com'],
    ['Example.com:8443', 'example.com'],
    ['[::1]', '[::1]'],
    ['*.[::1]', undefined],
    ['*example.com', undefined],
  ])('normalises %j to %j', (pattern, hostname) => {
    expect(normaliseHostPattern(pattern)?.hostname).toBe(hostname);
  });
});

describe('formatHost(hostname, port)', () => {
  it('adds the port only when there is one', () => {
    expect(formatHost('example.com')).toBe('example.com');
    expect(formatHost('[::1]', 8080)).toBe('[::1]:8080');
  });
});

describe('requestHost(req)', () => {
  /** Sends a raw HTTP/1.1 request so duplicate or missing Host lines can be tested. */
  async function hostOf(headerLines: string[]): Promise<string> {
    const server = http.createServer((req, res) => {
      res.end(JSON.stringify(requestHost(req) ?? null));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end(['GET / HTTP/1.1', ...headerLines, 'Connection: close', '', ''].join('\r\n'));
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString('latin1')));
        socket.on('end', () => resolve(data.slice(data.indexOf('\r\n\r\n') + 4)));
        socket.on('error', reject);
      });
    } finally {
      server.close();
    }
  }

  it('returns the parsed Host', async () => {
    expect(JSON.parse(await hostOf(['Host: Example.com:81']))).toEqual({
      hostname: 'example.com',
      port: 81,
      ipv6: false,
    });
  });

  it('refuses several Host headers (Node keeps only the first in req.headers)', async () => {
    expect(await hostOf(['Host: example.com', 'Host: evil.com'])).toBe('null');
  });

  it('refuses a missing Host', async () => {
    const server = http.createServer((req, res) => {
      delete req.headers.host;
      res.end(JSON.stringify(requestHost(req) ?? null));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    server.close();
    expect(body).toBe('null');
  });
});

describe('parseHost(value) with IPv6 literals', () => {
  it.each([
    ['[0:0:0:0:0:0:0:1]', '[::1]'],
    ['[2001:DB8:0:0:0:0:0:1]:8080', '[2001:db8::1]'],
    ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]'],
  ])('canonicalises %j to %j so patterns match', (value, hostname) => {
    expect(parseHost(value)?.hostname).toBe(hostname);
  });
});
