import { middlewareKind } from '@mw/core';
import { httpsRedirect } from '@mw/https-redirect';
import type { HttpsRedirectOptions } from '@mw/https-redirect';

describe('httpsRedirect(options)', () => {
  it("is tagged 'https-redirect' so stack() runs it after trusted-host", () => {
    expect(middlewareKind(httpsRedirect())).toBe('https-redirect');
  });

  it('is named httpsRedirectMiddleware', () => {
    expect(httpsRedirect().name).toBe('httpsRedirectMiddleware');
  });

  it('never mutates the caller’s options (frozen options work)', () => {
    const hsts = Object.freeze({ maxAge: 10 });
    const options = Object.freeze({ statusCode: 308 as const, trustProxy: 1, hsts });
    expect(() => httpsRedirect(options)).not.toThrow();
    expect(hsts).toEqual({ maxAge: 10 });
    expect(Object.keys(options)).toEqual(['statusCode', 'trustProxy', 'hsts']);
  });

  describe('when an option is invalid', () => {
    it.each<[string, unknown, RegExp]>([
      [
        'statusCode 200',
        { statusCode: 200 },
        /option "statusCode" must be one of 301, 302, 307 or 308/,
      ],
      ['statusCode 303', { statusCode: 303 }, /option "statusCode" must be one of/],
      ['statusCode "307"', { statusCode: '307' }, /option "statusCode" must be one of/],
      ['statusCode null', { statusCode: null }, /option "statusCode" must be one of/],
      [
        'trustProxy "loopbak" (a misspelt name)',
        { trustProxy: 'loopbak' },
        /option "trustProxy" must be a boolean, a hop count/,
      ],
      ['httpsPort 0', { httpsPort: 0 }, /option "httpsPort" must be an integer from 1 to 65535/],
      ['httpsPort 65536', { httpsPort: 65536 }, /option "httpsPort" must be an integer/],
      ['httpsPort "443"', { httpsPort: '443' }, /option "httpsPort" must be an integer/],
      ['trustProxy -1', { trustProxy: -1 }, /option "trustProxy"/],
      ['trustProxy 1.5', { trustProxy: 1.5 }, /option "trustProxy"/],
      ['trustProxy {}', { trustProxy: {} }, /option "trustProxy"/],
      ['hsts true', { hsts: true }, /option "hsts" must be false or an object/],
      ['hsts null', { hsts: null }, /option "hsts" must be false or an object/],
      ['hsts []', { hsts: [] }, /option "hsts" must be false or an object/],
      ['hsts 31536000', { hsts: 31536000 }, /option "hsts" must be false or an object/],
      [
        'hsts.maxage (a typo)',
        { hsts: { maxage: 1 } },
        /option "hsts.maxage" is unknown; did you mean "maxAge"\?/,
      ],
      [
        'hsts.includeSubdomains (a typo)',
        { hsts: { includeSubdomains: true } },
        /did you mean "includeSubDomains"/,
      ],
      [
        'hsts.max_age',
        { hsts: { max_age: 1 } },
        /option "hsts.max_age" is unknown; known keys are/,
      ],
      ['hsts.maxAge -1', { hsts: { maxAge: -1 } }, /option "hsts.maxAge" must be an integer >= 0/],
      ['hsts.maxAge 1.5', { hsts: { maxAge: 1.5 } }, /option "hsts.maxAge" must be an integer/],
      ['hsts.maxAge "1"', { hsts: { maxAge: '1' } }, /option "hsts.maxAge" must be an integer/],
      [
        'hsts.includeSubDomains "yes"',
        { hsts: { includeSubDomains: 'yes' } },
        /"hsts.includeSubDomains" must be a boolean/,
      ],
      ['hsts.preload 1', { hsts: { preload: 1 } }, /option "hsts.preload" must be a boolean/],
      ['an unknown option', { status: 301 }, /unknown option "status"/],
      ['a mis-cased option', { statuscode: 301 }, /did you mean "statusCode"/],
      ['options that are not an object', 307, /options must be an object/],
    ])('throws a TypeError for %s', (_name, options, message) => {
      const build = () => httpsRedirect(options as HttpsRedirectOptions);
      expect(build).toThrow(TypeError);
      expect(build).toThrow(message);
    });

    it('names the package in every message', () => {
      expect(() => httpsRedirect({ hsts: { maxage: 1 } as never })).toThrow(
        /^@mw\/https-redirect: /,
      );
    });
  });
});
