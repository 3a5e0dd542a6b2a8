import { middlewareKind } from '@mw/core';
import { trustedHost } from '@mw/trusted-host';
import type { TrustedHostOptions } from '@mw/trusted-host';

describe('trustedHost(options)', () => {
  it("is tagged 'trusted-host' so stack() runs it first", () => {
    expect(middlewareKind(trustedHost())).toBe('trusted-host');
  });

  it('is named trustedHostMiddleware', () => {
    expect(trustedHost().name).toBe('trustedHostMiddleware');
  });

  it('never mutates the caller’s options (frozen options work)', () => {
    const allowedHosts = Object.freeze(['Example.COM.', '*.example.org']);
    const options = Object.freeze({ allowedHosts, wwwRedirect: false });
    expect(() => trustedHost(options)).not.toThrow();
    expect(allowedHosts).toEqual(['Example.COM.', '*.example.org']);
  });

  describe('when an option is invalid', () => {
    it.each<[string, unknown, RegExp]>([
      ['an empty allowedHosts', { allowedHosts: [] }, /option "allowedHosts" must not be empty/],
      [
        'a string allowedHosts',
        { allowedHosts: 'example.com' },
        /"allowedHosts" must be an array of strings/,
      ],
      [
        'a non-string pattern',
        { allowedHosts: ['a.com', 1] },
        /"allowedHosts" must be an array of strings/,
      ],
      ['null allowedHosts', { allowedHosts: null }, /"allowedHosts" must be an array of strings/],
      [
        'example.*',
        { allowedHosts: ['example.*'] },
        /Domain wildcard patterns must be like '\*\.example\.com'\./,
      ],
      ['*example.com', { allowedHosts: ['*example.com'] }, /Domain wildcard patterns must be like/],
      [
        '*.*.example.com',
        { allowedHosts: ['*.*.example.com'] },
        /Domain wildcard patterns must be like/,
      ],
      ['*:8080', { allowedHosts: ['*:8080'] }, /Domain wildcard patterns must be like/],
      ['**', { allowedHosts: ['**'] }, /Domain wildcard patterns must be like/],
      ['an unbracketed IPv6 literal', { allowedHosts: ['::1'] }, /IPv6 literal must be bracketed/],
      [
        'an unbracketed IPv6 literal',
        { allowedHosts: ['2001:db8::1'] },
        /IPv6 literal must be bracketed/,
      ],
      ['a wildcard IPv6 literal', { allowedHosts: ['*.[::1]'] }, /not a host name/],
      ['an empty pattern', { allowedHosts: [''] }, /not a host name/],
      ['a pattern with a path', { allowedHosts: ['example.com/'] }, /not a host name/],
      ['a pattern with a scheme', { allowedHosts: ['https://example.com'] }, /not a host name/],
      ['a pattern with an empty port', { allowedHosts: ['example.com:'] }, /not a host name/],
      [
        'a pattern with a port above 65535',
        { allowedHosts: ['example.com:70000'] },
        /not a host name/,
      ],
      [
        'a non-boolean wwwRedirect',
        { wwwRedirect: 'no' },
        /option "wwwRedirect" must be a boolean/,
      ],
      ['an unknown option', { allowed_hosts: ['a.com'] }, /unknown option "allowed_hosts"/],
      ['a mis-cased option', { allowedhosts: ['a.com'] }, /did you mean "allowedHosts"/],
      ['options that are not an object', 'example.com', /options must be an object/],
    ])('throws a TypeError for %s', (_name, options, message) => {
      const build = () => trustedHost(options as TrustedHostOptions);
      expect(build).toThrow(TypeError);
      expect(build).toThrow(message);
    });

    it('names the package in every message', () => {
      expect(() => trustedHost({ allowedHosts: [] })).toThrow(/^@mw\/trusted-host: /);
    });
  });
});
