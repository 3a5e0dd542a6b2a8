import request from 'supertest';
import { trustedHost } from '@mw/trusted-host';
import { serve } from '../../../test-support/http';

const allowedHosts = [
  'example.com',
  '*.example.org',
  '[::1]',
  '[2001:db8::1]:8443',
  'pinned.test:8443',
  '*.pinned.test:9000',
  'Mixed.Case.Test.',
  '127.0.0.1',
];

describe('trustedHost({ allowedHosts })', () => {
  describe('when the Host is well-formed', () => {
    it.each<[string, number]>([
      // exact, case-insensitive, one trailing dot ignored
      ['example.com', 200],
      ['EXAMPLE.COM', 200],
      ['Example.Com.', 200],
      ['example.com..', 400],
      ['example.com:8080', 200],
      ['www.example.com', 400],
      ['mixed.case.test', 200],
      // subdomain wildcards: any depth, never the apex, never a longer name
      ['a.example.org', 200],
      ['a.b.c.example.org', 200],
      ['A.EXAMPLE.ORG.:81', 200],
      ['example.org', 400],
      ['evilexample.org', 400],
      ['example.org.evil.com', 400],
      ['a.example.org.evil.com', 400],
      // IPv6, bracketed, with and without a port
      ['[::1]', 200],
      ['[::1]:8000', 200],
      ['[::2]', 400],
      ['[2001:DB8::1]:8443', 200],
      ['[2001:db8::1]', 400],
      ['[2001:db8::1]:80', 400],
      // pinned ports: only that port; no port means the scheme's default (80 here)
      ['pinned.test:8443', 200],
      ['pinned.test', 400],
      ['pinned.test:8444', 400],
      ['a.pinned.test:9000', 200],
      ['a.pinned.test:9001', 400],
      ['pinned.test:9000', 400],
      // IPv4
      ['127.0.0.1', 200],
      ['127.0.0.1:3000', 200],
      ['127.0.0.2', 400],
    ])('answers Host %j with %i', async (host, status) => {
      const res = await request(serve(trustedHost({ allowedHosts, wwwRedirect: false })))
        .get('/')
        .set('Host', host);
      expect(res.status).toBe(status);
      expect(res.text).toBe(status === 200 ? 'OK' : 'Invalid host header');
    });
  });

  describe('when the Host is malformed (even with allowedHosts: ["*"])', () => {
    it.each([
      ['a non-numeric port', 'example.com:abc'],
      ['a port above 65535', 'example.com:99999'],
      ['an empty port', 'example.com:'],
      ['a negative port', 'example.com:-1'],
      ['two ports', 'example.com:80:80'],
      ['userinfo', 'example.com@evil.com'],
      ['userinfo with a password', 'user:pass@example.com'],
      ['a path', 'evil.com/x'],
      ['a backslash', 'evil.com\\x'],
      ['a query', 'example.com?x'],
      ['a fragment', 'example.com#x'],
      ['percent-encoding', 'ex%61mple.com'],
      ['a space', 'exa mple.com'],
      ['an empty label', 'a..example.com'],
      ['a leading dot', '.example.com'],
      ['a label starting with a hyphen', '-a.example.com'],
      ['a label of 64 characters', `${'a'.repeat(64)}.com`],
      ['a name over 253 characters', `${'a.'.repeat(127)}com`],
      ['an unbracketed IPv6 literal', '::1'],
      ['an unclosed IPv6 literal', '[::1'],
      ['an IPv6 literal with a zone', '[fe80::1%25eth0]'],
      ['an invalid IPv6 literal', '[::g]'],
      ['IPvFuture', '[v1.fe80::a+en1]'],
      ['text after the IPv6 literal', '[::1]x'],
      ['an empty IPv6 port', '[::1]:'],
      ['a comma list, as a proxy might join two Hosts', 'example.com, evil.com'],
      ['a wildcard', '*.example.com'],
    ])('answers %s (%j) with 400 Invalid host header', async (_name, host) => {
      const res = await request(serve(trustedHost({ allowedHosts: ['*'] })))
        .get('/')
        .set('Host', host);
      expect(res.status).toBe(400);
      expect(res.text).toBe('Invalid host header');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    });
  });

  describe('when a proxy forwards the Host', () => {
    // What nginx ($host lower-cases, drops the port), Apache (ProxyPreserveHost) and Envoy send
    // on: the original Host with or without its port, sometimes lower-cased or with the dot.
    it.each<[string, number]>([
      ['example.com', 200],
      ['example.com:443', 200],
      ['example.com:80', 200],
      ['EXAMPLE.com:8443', 200],
      ['example.com.', 200],
      ['backend.internal:8080', 400],
      ['localhost', 400],
      ['10.0.0.5:3000', 400],
    ])('answers Host %j with %i', async (host, status) => {
      const res = await request(serve(trustedHost({ allowedHosts: ['example.com'] })))
        .get('/')
        .set('Host', host);
      expect(res.status).toBe(status);
    });
  });
});
