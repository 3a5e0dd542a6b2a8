import request from 'supertest';
import { middlewareKind } from '@mw/core';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';
import { O, serve } from './helpers';

describe('cors(options)', () => {
  describe('when constructed', () => {
    it("returns a middleware tagged 'cors' for @mw/stack, named corsMiddleware", () => {
      const mw = cors();
      expect(middlewareKind(mw)).toBe('cors');
      expect(mw.name).toBe('corsMiddleware');
      expect(mw.length).toBe(3);
    });

    it('accepts a frozen options object and leaves it untouched', async () => {
      const options: CorsOptions = Object.freeze({
        allowOrigins: Object.freeze([O, 'https://*.example.com']),
        allowOriginRegex: /https:\/\/x\.test/g,
        allowMethods: Object.freeze(['GET', 'POST']),
        allowHeaders: Object.freeze(['X-Token']),
        allowCredentials: true,
        exposeHeaders: Object.freeze(['X-A']),
        maxAge: 60,
        allowPrivateNetwork: true,
      });
      const before = JSON.stringify(options);
      const res = await request(serve(options))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'x-token');
      expect(res.status).toBe(200);
      expect(JSON.stringify(options)).toBe(before);
      expect((options.allowOriginRegex as RegExp).lastIndex).toBe(0);
    });

    it('does not see later changes to the arrays it was given', async () => {
      const allowOrigins = [O];
      const app = serve({ allowOrigins });
      allowOrigins.push('https://late.example');
      const res = await request(app).get('/').set('Origin', 'https://late.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('uses the Starlette defaults: GET, the safelisted headers, max-age 600', async () => {
      const res = await request(serve({ allowOrigins: [O] }))
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'GET');
      expect(res.headers['access-control-allow-methods']).toBe('GET');
      expect(res.headers['access-control-allow-headers']).toBe(
        'Accept, Accept-Language, Content-Language, Content-Type',
      );
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('joins exposeHeaders and allowMethods with ", " in the given order', async () => {
      const app = serve({
        allowOrigins: [O],
        allowMethods: ['PUT', 'GET'],
        exposeHeaders: ['X-B', 'X-A'],
      });
      const pre = await request(app)
        .options('/')
        .set('Origin', O)
        .set('Access-Control-Request-Method', 'PUT');
      expect(pre.headers['access-control-allow-methods']).toBe('PUT, GET');
      const res = await request(app).get('/').set('Origin', O);
      expect(res.headers['access-control-expose-headers']).toBe('X-B, X-A');
    });
  });

  describe('when an option is invalid', () => {
    it("throws for '*' with allowCredentials, saying how to list origins or use allowOrigin (Beyond Starlette)", () => {
      const make = () => cors({ allowOrigins: ['https://a.example', '*'], allowCredentials: true });
      expect(make).toThrow(TypeError);
      expect(make).toThrow(/^@mw\/cors: option "allowOrigins"/);
      expect(make).toThrow(/list the trusted origins/);
      expect(make).toThrow(/allowOrigin option/);
    });

    it("throws for 'null' with allowCredentials: any sandboxed iframe sends Origin: null", () => {
      const make = () =>
        cors({ allowOrigins: ['https://a.example', 'null'], allowCredentials: true });
      expect(make).toThrow(TypeError);
      expect(make).toThrow(/^@mw\/cors: option "allowOrigins" cannot contain 'null' when/);
      expect(make).toThrow(/sandboxed iframe/);
    });

    it.each(['https://*.com', 'http://*.localhost:3000', 'HTTPS://*.ORG'])(
      'throws for the wildcard %s: a single label after "*." is a whole top-level name',
      (entry) => {
        const make = () => cors({ allowOrigins: [entry] });
        expect(make).toThrow(TypeError);
        expect(make).toThrow(
          `@mw/cors: option "allowOrigins" entry ${JSON.stringify(entry)} allows every site`,
        );
        expect(make).toThrow(/at least two labels after "\*\."/);
      },
    );

    it.each<[string, unknown, RegExp]>([
      [
        'allowOrigins',
        'https://a.example',
        /option "allowOrigins" must be an array of strings; wrap/,
      ],
      ['allowOrigins', [1], /option "allowOrigins" must be an array of strings/],
      ['allowOrigins', new Set([O]), /option "allowOrigins" must be an array of strings/],
      [
        'allowOrigins',
        ['https://a.example/'],
        /option "allowOrigins" entry "https:\/\/a.example\/" is not an origin/,
      ],
      ['allowOrigins', ['a.example'], /option "allowOrigins" entry "a.example" is not an origin/],
      ['allowOrigins', ['https://a.example/path'], /option "allowOrigins"/],
      ['allowOrigins', ['https://*example.com'], /option "allowOrigins"/],
      ['allowOrigins', ['https://a.*.example.com'], /option "allowOrigins"/],
      ['allowOrigins', ['*.example.com'], /option "allowOrigins"/],
      ['allowOrigins', ['https://*.[::1]'], /option "allowOrigins"/],
      ['allowOrigins', [''], /option "allowOrigins"/],
      ['allowOrigins', ['https://a.example:99999'], /option "allowOrigins"/],
      ['allowMethods', 'GET', /option "allowMethods" must be an array of strings; wrap/],
      ['allowMethods', ['GET POST'], /option "allowMethods" entry "GET POST" is not a method/],
      ['allowMethods', ['GET,POST'], /option "allowMethods"/],
      ['allowMethods', [''], /option "allowMethods"/],
      ['allowHeaders', 'X-Token', /option "allowHeaders" must be an array/],
      ['allowHeaders', ['X Token'], /option "allowHeaders" entry "X Token" is not a header name/],
      ['allowHeaders', ['X-A:'], /option "allowHeaders"/],
      ['exposeHeaders', ['X-A, X-B'], /option "exposeHeaders"/],
      ['exposeHeaders', 'X-A', /option "exposeHeaders" must be an array/],
      ['maxAge', -1, /option "maxAge" must be an integer >= 0/],
      ['maxAge', 1.5, /option "maxAge" must be an integer >= 0/],
      ['maxAge', '600', /option "maxAge"/],
      ['maxAge', NaN, /option "maxAge"/],
      [
        'allowOriginRegex',
        '(unclosed',
        /option "allowOriginRegex" is not a valid JavaScript regular expression/,
      ],
      ['allowOriginRegex', '(?i)https://a\\.example', /option "allowOriginRegex".*\(\?i\)/],
      ['allowOriginRegex', 'a)|(b', /option "allowOriginRegex" is not a valid/],
      ['allowOriginRegex', 42, /option "allowOriginRegex" must be a string or a RegExp/],
      ['allowOrigin', 'https://a.example', /option "allowOrigin" must be a function/],
      ['allowCredentials', 'true', /option "allowCredentials" must be a boolean/],
      ['allowPrivateNetwork', 1, /option "allowPrivateNetwork" must be a boolean/],
      ...[0, -1, 1.5, '5000', NaN, Infinity, 2 ** 31].map((value): [string, unknown, RegExp] => [
        'allowOriginTimeout',
        value,
        /option "allowOriginTimeout" must be an integer from 1 to 2147483647/,
      ]),
    ])('throws TypeError naming %s for %p', (name, value, message) => {
      const make = () => cors({ [name]: value } as CorsOptions);
      expect(make).toThrow(TypeError);
      expect(make).toThrow(message);
    });

    it.each([
      ['maxage', /unknown option "maxage"; did you mean "maxAge"\?/],
      ['origin', /unknown option "origin"; known options are/],
      ['allow_origins', /unknown option "allow_origins"/],
    ])('throws for the unknown option %s', (name, message) => {
      expect(() => cors({ [name]: 1 } as CorsOptions)).toThrow(message);
    });

    it.each([null, 'x', []])('throws when the options are %p', (value) => {
      expect(() => cors(value as unknown as CorsOptions)).toThrow(
        /@mw\/cors: options must be an object/,
      );
    });
  });

  describe('when an option is valid but unusual', () => {
    it.each<[string, CorsOptions]>([
      ['an empty list', { allowOrigins: [] }],
      ['the default port written out', { allowOrigins: ['https://a.example:443'] }],
      ['an IPv6 origin', { allowOrigins: ['http://[::1]:8080'] }],
      ['an extension origin', { allowOrigins: ['chrome-extension://abcdefghijklmnop'] }],
      ["'null'", { allowOrigins: ['null'] }],
      ['a wildcard with a port', { allowOrigins: ['http://*.app.localhost:3000'] }],
      ["'null' without credentials", { allowOrigins: ['null'], allowCredentials: false }],
      ['the smallest allowOriginTimeout', { allowOriginTimeout: 1 }],
      ['the largest allowOriginTimeout', { allowOriginTimeout: 2 ** 31 - 1 }],
      ["'*' without credentials", { allowOrigins: ['*'] }],
      ['maxAge 0', { maxAge: 0 }],
      ["allowMethods ['*']", { allowMethods: ['*'] }],
      ["exposeHeaders ['*']", { exposeHeaders: ['*'] }],
      ['credentials with a regex', { allowOriginRegex: 'https://.*', allowCredentials: true }],
    ])('accepts %s', (_name, options) => {
      expect(() => cors(options)).not.toThrow();
    });
  });
});
