import type { IncomingMessage } from 'node:http';
import { compileTrustProxy, isSecure, requestProtocol } from '@mw/core';
import type { TrustFn, TrustProxy } from '@mw/core';

/** A compiled trust as the request path sees it (an absent option trusts nobody here). */
const compileTrust = (pkg: string, option: string, value: unknown): TrustFn | undefined =>
  compileTrustProxy(pkg, option, value) ?? undefined;

/** A request as the socket and the proxies in front of it would present it. */
function fakeRequest(
  headers: Record<string, string>,
  { encrypted = false, remote = '10.0.0.1' } = {},
): IncomingMessage {
  return {
    headers,
    socket: { encrypted, remoteAddress: remote },
  } as unknown as IncomingMessage;
}

const protocol = (trust: TrustProxy, headers: Record<string, string>, encrypted = false) =>
  requestProtocol(fakeRequest(headers, { encrypted }), compileTrust('test', 'trustProxy', trust));

describe('requestProtocol(req, trust)', () => {
  describe('when no proxy is trusted', () => {
    it('ignores a forged X-Forwarded-Proto', () => {
      expect(protocol(false, { 'x-forwarded-proto': 'https' })).toBe('http');
    });
    it('reports https for a TLS socket', () => {
      expect(protocol(false, { 'x-forwarded-proto': 'http' }, true)).toBe('https');
    });
    it('treats a hop count of 0 as trusting nobody', () => {
      expect(protocol(0, { 'x-forwarded-proto': 'https' })).toBe('http');
    });
  });

  it.each<[string, TrustProxy, Record<string, string>, string]>([
    ['one trusted hop reads the last entry', 1, { 'x-forwarded-proto': 'http, https' }, 'https'],
    [
      'one trusted hop ignores what the client prepended',
      1,
      { 'x-forwarded-proto': 'https, http' },
      'http',
    ],
    [
      'two trusted hops read the second-last entry',
      2,
      { 'x-forwarded-proto': 'http, https, http' },
      'https',
    ],
    [
      'true trusts every hop, reading the first entry',
      true,
      { 'x-forwarded-proto': 'https, http, http' },
      'https',
    ],
    [
      'a hop count beyond the list stops at its start',
      5,
      { 'x-forwarded-proto': 'https' },
      'https',
    ],
    ['the value is case-insensitive', 1, { 'x-forwarded-proto': 'HTTPS' }, 'https'],
    ['httpsX is not https', 1, { 'x-forwarded-proto': 'httpsX' }, 'httpsx'],
    ['an empty item makes the list unusable', 1, { 'x-forwarded-proto': 'https,' }, 'http'],
    [
      'Forwarded proto= is read when X-Forwarded-Proto is absent',
      1,
      { forwarded: 'for=1.2.3.4;proto=https' },
      'https',
    ],
    [
      'Forwarded proto values may be quoted',
      1,
      { forwarded: 'for="[::1]:80";proto="https"' },
      'https',
    ],
    [
      'Forwarded elements are hops, nearest last',
      1,
      { forwarded: 'proto=https, proto=http' },
      'http',
    ],
    [
      'an element without proto= ends the chain',
      true,
      { forwarded: 'proto=https, for=1.1.1.1' },
      'http',
    ],
    [
      'X-Forwarded-Proto wins over Forwarded',
      1,
      { 'x-forwarded-proto': 'http', forwarded: 'proto=https' },
      'http',
    ],
    ['no forwarding header keeps the socket protocol', true, {}, 'http'],
  ])('%s', (_name, trust, headers, expected) => {
    expect(protocol(trust, headers)).toBe(expected);
  });

  describe('with a trust function', () => {
    const trustTen = (address: string) => address.startsWith('10.');

    it('is asked about the socket peer as hop 0', () => {
      const seen: [string, number][] = [];
      const trust = compileTrust('test', 'trustProxy', (address: string, hop: number) => {
        seen.push([address, hop]);
        return false;
      });
      requestProtocol(fakeRequest({ 'x-forwarded-proto': 'https' }), trust);
      expect(seen).toEqual([['10.0.0.1', 0]]);
    });

    it('follows X-Forwarded-For while hops are trusted', () => {
      const headers = {
        'x-forwarded-proto': 'https, http',
        'x-forwarded-for': '203.0.113.9, 10.0.0.2',
      };
      // hop 0 (10.0.0.1) says "http"; hop 1 (10.0.0.2) is trusted and says "https".
      expect(protocol(trustTen, headers)).toBe('https');
    });

    it('stops at the first untrusted hop', () => {
      const headers = {
        'x-forwarded-proto': 'https, http',
        'x-forwarded-for': '203.0.113.9, 198.51.100.7',
      };
      expect(protocol(trustTen, headers)).toBe('http');
    });

    it('stops where no address was reported', () => {
      expect(protocol(trustTen, { 'x-forwarded-proto': 'https, http' })).toBe('http');
    });

    it('reads Forwarded for= addresses without brackets or ports', () => {
      const headers = { forwarded: 'for=1.1.1.1;proto=https, for="[10::1]:99";proto=http' };
      const trust = (address: string) => address === '10.0.0.1' || address === '10::1';
      expect(protocol(trust, headers)).toBe('https');
    });
  });
});

describe('isSecure(req, trust)', () => {
  it('is true only for exactly https', () => {
    const trust = compileTrust('test', 'trustProxy', true);
    expect(isSecure(fakeRequest({ 'x-forwarded-proto': 'https' }), trust)).toBe(true);
    expect(isSecure(fakeRequest({ 'x-forwarded-proto': 'httpsX' }), trust)).toBe(false);
    expect(isSecure(fakeRequest({}, { encrypted: true }), undefined)).toBe(true);
  });
});

describe('compileTrustProxy(pkg, option, value)', () => {
  it.each([[-1], [1.5], ['yes'], ['10.0.0.0/33'], [null], [{}], [[1]]])(
    'rejects %j with a TypeError naming the option',
    (value) => {
      expect(() => compileTrustProxy('https-redirect', 'trustProxy', value)).toThrow(
        /^@mw\/https-redirect: option "trustProxy" must be a boolean, a hop count >= 0, an address/,
      );
    },
  );

  it('compiles false and 0 to "trust nobody" and leaves undefined to the app (null)', () => {
    expect(compileTrustProxy('x', 'y', false)?.('10.0.0.1', 0)).toBe(false);
    expect(compileTrustProxy('x', 'y', 0)?.('10.0.0.1', 0)).toBe(false);
    expect(compileTrustProxy('x', 'y', undefined)).toBeNull();
  });

  it.each<[TrustProxy, string, boolean]>([
    ['loopback', '127.0.0.1', true],
    ['loopback', '::ffff:127.0.0.1', true],
    ['loopback', '10.0.0.1', false],
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8, 192.168.0.1', '192.168.0.1', true],
    [['uniquelocal', '203.0.113.7'], '203.0.113.7', true],
    [['uniquelocal'], '8.8.8.8', false],
    ['linklocal', '169.254.1.1', true],
  ])('compiles %j as Express does: %s is trusted: %s', (value, address, expected) => {
    expect(compileTrustProxy('x', 'y', value)?.(address, 0)).toBe(expected);
  });
});

describe('compileTrust(pkg, option, fn) with addresses', () => {
  it('hands the function an IPv4-mapped peer as plain IPv4', () => {
    const seen: string[] = [];
    const trust = compileTrust('test', 'trustProxy', (address: string) => {
      seen.push(address);
      return address.startsWith('10.');
    });
    const req = fakeRequest({ 'x-forwarded-proto': 'https' }, { remote: '::ffff:10.0.0.1' });
    expect(requestProtocol(req, trust)).toBe('https');
    expect(seen).toEqual(['10.0.0.1']);
  });

  it('stops at a Forwarded hop that reported no for= address, without asking the function', () => {
    const asked: string[] = [];
    const trust = compileTrust('test', 'trustProxy', (address: string) => {
      asked.push(address);
      return address !== '203.0.113.66';
    });
    const req = fakeRequest({ forwarded: 'proto=https, proto=http' });
    expect(requestProtocol(req, trust)).toBe('http');
    expect(asked).toEqual(['10.0.0.1']);
  });
});
