/** Construction: validation errors, frozen options, the middleware's tag. */
import { middlewareKind } from '@mw/core';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';

const build = (options: unknown) => () => session(options as SessionOptions);

describe('session(options)', () => {
  describe('when an option is invalid', () => {
    it.each<[string, unknown, RegExp]>([
      ['no options', undefined, /option "secretKey" is required/],
      ['options that are not an object', 'secret', /options must be an object/],
      ['no secretKey', {}, /option "secretKey" is required/],
      ['an empty secretKey', { secretKey: '' }, /option "secretKey"/],
      ['an empty secretKey list', { secretKey: [] }, /option "secretKey"/],
      ['an empty string in the list', { secretKey: ['a', ''] }, /option "secretKey"/],
      ['a non-string secretKey', { secretKey: 42 }, /option "secretKey"/],
      [
        'sameSite none without httpsOnly',
        { secretKey: 's', sameSite: 'none' },
        /option "sameSite" "none" requires httpsOnly/,
      ],
      ['an unknown sameSite', { secretKey: 's', sameSite: 'Lax' }, /option "sameSite" must be/],
      // Issue 13.7: browsers silently drop these cookies (RFC 6265bis section 4.1.3).
      [
        '__Host- without httpsOnly',
        { secretKey: 's', sessionCookie: '__Host-sid' },
        /option "sessionCookie" "__Host-sid" \(a __Host- name\) requires httpsOnly: true/,
      ],
      [
        '__Host- with a path other than "/"',
        { secretKey: 's', sessionCookie: '__Host-sid', httpsOnly: true, path: '/app' },
        /__Host- name\) requires httpsOnly: true, path "\/" and no domain/,
      ],
      [
        '__Host- with a domain',
        { secretKey: 's', sessionCookie: '__Host-sid', httpsOnly: true, domain: 'example.com' },
        /__Host- name/,
      ],
      ['__host- in another case', { secretKey: 's', sessionCookie: '__HOST-sid' }, /__Host- name/],
      [
        '__Secure- without httpsOnly',
        { secretKey: 's', sessionCookie: '__Secure-sid' },
        /"__Secure-sid" \(a __Secure- name\) requires httpsOnly: true/,
      ],
      [
        '__secure- in another case',
        { secretKey: 's', sessionCookie: '__secure-sid' },
        /__Secure- name/,
      ],
      [
        'a non-boolean encrypt',
        { secretKey: 's', encrypt: 'yes' },
        /option "encrypt" must be a boolean/,
      ],
      [
        'partitioned without httpsOnly',
        { secretKey: 's', partitioned: true },
        /option "partitioned" requires httpsOnly/,
      ],
      [
        'a cookie name with a space',
        { secretKey: 's', sessionCookie: 'my session' },
        /option "sessionCookie"/,
      ],
      [
        'a cookie name with "="',
        { secretKey: 's', sessionCookie: 'a=b' },
        /option "sessionCookie"/,
      ],
      [
        'a cookie name with ";"',
        { secretKey: 's', sessionCookie: 'a;path=/' },
        /option "sessionCookie"/,
      ],
      ['an empty cookie name', { secretKey: 's', sessionCookie: '' }, /option "sessionCookie"/],
      [
        'a non-ASCII cookie name',
        { secretKey: 's', sessionCookie: 'sessión' },
        /option "sessionCookie"/,
      ],
      [
        'a path injecting an attribute',
        { secretKey: 's', path: '/; domain=evil.com' },
        /option "path"/,
      ],
      ['a path with a control character', { secretKey: 's', path: '/a\nb' }, /option "path"/],
      ['a path not starting with /', { secretKey: 's', path: 'sub' }, /option "path"/],
      ['an empty path', { secretKey: 's', path: '' }, /option "path"/],
      [
        'a domain injecting an attribute',
        { secretKey: 's', domain: 'a.com; secure' },
        /option "domain"/,
      ],
      ['a domain with a port', { secretKey: 's', domain: 'example.com:80' }, /option "domain"/],
      ['an empty domain', { secretKey: 's', domain: '' }, /option "domain"/],
      ['a domain label starting with "-"', { secretKey: 's', domain: '-a.com' }, /option "domain"/],
      ['a domain with an empty label', { secretKey: 's', domain: 'a..com' }, /option "domain"/],
      [
        'a fractional maxAge',
        { secretKey: 's', maxAge: 1.5 },
        /option "maxAge" must be an integer/,
      ],
      ['a string maxAge', { secretKey: 's', maxAge: '3600' }, /option "maxAge"/],
      ['an infinite maxAge', { secretKey: 's', maxAge: Infinity }, /option "maxAge"/],
      ['a NaN maxAge', { secretKey: 's', maxAge: NaN }, /option "maxAge"/],
      [
        'a non-boolean httpsOnly',
        { secretKey: 's', httpsOnly: 'yes' },
        /option "httpsOnly" must be a boolean/,
      ],
      ['a non-boolean rolling', { secretKey: 's', rolling: 1 }, /option "rolling"/],
      [
        'a non-function onError',
        { secretKey: 's', onError: 'log' },
        /option "onError" must be a function/,
      ],
      [
        'an unknown option',
        { secretKey: 's', maxage: 1 },
        /unknown option "maxage"; did you mean "maxAge"/,
      ],
      ['Starlette spelling', { secretKey: 's', secret_key: 's' }, /unknown option "secret_key"/],
    ])('throws a TypeError for %s', (_name, options, message) => {
      expect(build(options)).toThrow(TypeError);
      expect(build(options)).toThrow(message);
      expect(build(options)).toThrow(/^@mw\/session: /);
    });
  });

  describe('when the options are valid', () => {
    it.each<[string, SessionOptions]>([
      ['a key list', { secretKey: ['new', 'old'] }],
      ['maxAge null', { secretKey: 's', maxAge: null }],
      ['maxAge -1', { secretKey: 's', maxAge: -1 }],
      ['sameSite none with httpsOnly', { secretKey: 's', sameSite: 'none', httpsOnly: true }],
      ['a leading-dot domain', { secretKey: 's', domain: '.example.com' }],
      ['a digit-led domain label', { secretKey: 's', domain: '1a.example.com' }],
      ['a token cookie name', { secretKey: 's', sessionCookie: 'sid' }],
      [
        'a __Host- name with httpsOnly, path "/" and no domain',
        { secretKey: 's', sessionCookie: '__Host-sid', httpsOnly: true },
      ],
      [
        'a __Secure- name with httpsOnly',
        {
          secretKey: 's',
          sessionCookie: '__Secure-sid',
          httpsOnly: true,
          domain: 'example.com',
          path: '/app',
        },
      ],
      ['a path with odd characters', { secretKey: 's', path: '/a b/%20/:@' }],
    ])('accepts %s', (_name, options) => {
      expect(typeof session(options)).toBe('function');
    });

    it('never mutates the options (frozen options work)', () => {
      const secretKey = Object.freeze(['new', 'old']);
      const options = Object.freeze({ secretKey, maxAge: 60, onError: () => undefined });
      expect(() => session(options)).not.toThrow();
      expect(options).toEqual({ secretKey: ['new', 'old'], maxAge: 60, onError: options.onError });
    });

    it("tags the middleware as 'session' and names it", () => {
      const mw = session({ secretKey: 's' });
      expect(middlewareKind(mw)).toBe('session');
      expect(mw.name).toBe('sessionMiddleware');
    });
  });
});
