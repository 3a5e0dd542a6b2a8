/**
 * trusted-host and https-redirect on WebSocket handshakes, through `upgradeGuard` and a real `ws`
 * server (`noServer` + `handleUpgrade`) and client, over `ws://` and a real TLS `wss://`.
 */
import { httpsRedirect } from '@mw/https-redirect';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
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

describe('trustedHost(options) on a WebSocket upgrade', () => {
  const mw = trustedHost({ allowedHosts: ['example.com', '*.example.com', 'www.shop.example'] });

  it.each([
    ['example.com', true],
    ['EXAMPLE.com.:8080', true],
    ['chat.example.com', true],
    ['evil.example', false],
    ['example.com.evil.example', false],
    ['example.com@evil.example', false],
  ])('with Host %s opens: %s (else 400 Invalid host header)', async (host, opens) => {
    server = await guardedServer(mw);
    const result = await handshake(server.wsUrl, { headers: { Host: host } });
    if (opens) {
      expect(result).toMatchObject({ opened: true, message: 'hello' });
    } else {
      expect(result).toMatchObject({ opened: false, status: 400, body: 'Invalid host header' });
      expect(result.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(server.accepted).toHaveLength(0);
    }
  });

  it('makes no www redirect on an upgrade (400), while plain HTTP still gets its 307', async () => {
    server = await guardedServer(mw);
    const http = await request(server.url).get('/chat').set('Host', 'shop.example');
    expect(http.status).toBe(307);
    expect(http.headers.location).toBe('http://www.shop.example/chat');
    const ws = await handshake(server.wsUrl, { headers: { Host: 'shop.example' }, path: '/chat' });
    expect(ws).toMatchObject({ opened: false, status: 400, body: 'Invalid host header' });
    expect(ws.headers.location).toBeUndefined();
  });

  it('checks wss:// handshakes on a TLS server the same way', async () => {
    server = await guardedServer(mw, { tls: certificate });
    const ca = certificate.cert;
    const bad = await handshake(server.wsUrl, { ca, headers: { Host: 'evil.example' } });
    expect(bad).toMatchObject({ opened: false, status: 400 });
    const good = await handshake(server.wsUrl, { ca, headers: { Host: 'example.com' } });
    expect(good).toMatchObject({ opened: true });
  });
});

describe('httpsRedirect(options) on a WebSocket upgrade', () => {
  it.each([
    ['example.com', '/chat?room=1', 'wss://example.com/chat?room=1'],
    ['example.com:80', '/', 'wss://example.com/'],
    ['example.com:8080', '/a%20b', 'wss://example.com:8080/a%20b'],
    ['[::1]:80', '/', 'wss://[::1]/'],
  ])('redirects ws:// with Host %s and path %s to %s', async (host, path, location) => {
    server = await guardedServer(httpsRedirect());
    const result = await handshake(server.wsUrl, { headers: { Host: host }, path });
    expect(result).toMatchObject({ opened: false, status: 307 });
    expect(result.headers.location).toBe(location);
    expect(server.accepted).toHaveLength(0);
  });

  it('uses the configured status code', async () => {
    server = await guardedServer(httpsRedirect({ statusCode: 308 }));
    const result = await handshake(server.wsUrl, { headers: { Host: 'example.com' } });
    expect(result).toMatchObject({ opened: false, status: 308 });
    expect(result.headers.location).toBe('wss://example.com/');
  });

  it('still redirects plain HTTP requests to https://', async () => {
    server = await guardedServer(httpsRedirect());
    const res = await request(server.url).get('/x').set('Host', 'example.com');
    expect(res.headers.location).toBe('https://example.com/x');
  });

  it('answers a malformed Host 400 instead of redirecting', async () => {
    server = await guardedServer(httpsRedirect());
    const result = await handshake(server.wsUrl, { headers: { Host: 'evil.example/x' } });
    expect(result).toMatchObject({ opened: false, status: 400, body: 'Invalid host header' });
  });

  it('opens wss:// on a real TLS server', async () => {
    server = await guardedServer(stack(trustedHost(), httpsRedirect()), { tls: certificate });
    const result = await handshake(server.wsUrl, { ca: certificate.cert });
    expect(result).toMatchObject({ opened: true, message: 'hello' });
  });

  it('opens ws:// from a TLS-terminating proxy it trusts (X-Forwarded-Proto: https)', async () => {
    server = await guardedServer(httpsRedirect({ trustProxy: true }));
    const result = await handshake(server.wsUrl, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(result).toMatchObject({ opened: true });
  });
});
