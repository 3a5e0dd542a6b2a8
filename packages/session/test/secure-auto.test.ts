/** `secure: 'auto'`: the `secure` attribute follows the scheme the client used (core's view). */
import https from 'node:https';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { selfSignedCertificate } from '../../../test-support/http';
import { setCookies, signed, storeAndClear, useClock } from './helpers';

useClock();
const VALUE = signed({ some: 'data' });
const PLAIN = `session=${VALUE}; path=/; Max-Age=1209600; httponly; samesite=lax`;
const SECURE = `${PLAIN}; secure`;
const CLEARED =
  'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';

describe("session({ secure: 'auto' })", () => {
  describe('when the request came over plain HTTP', () => {
    it('writes the cookie without secure', async () => {
      const res = await request(storeAndClear({ secure: 'auto' })).get('/store');
      expect(setCookies(res)).toEqual([PLAIN]);
    });

    it('ignores X-Forwarded-Proto from a proxy that is not trusted (the default)', async () => {
      const res = await request(storeAndClear({ secure: 'auto' }))
        .get('/store')
        .set('X-Forwarded-Proto', 'https');
      expect(setCookies(res)).toEqual([PLAIN]);
    });
  });

  describe('when the request came over TLS', () => {
    it('writes the cookie with secure', async () => {
      const server = https.createServer(selfSignedCertificate(), storeAndClear({ secure: 'auto' }));
      const res = await request(server).get('/store').trustLocalhost();
      expect(setCookies(res)).toEqual([SECURE]);
    });
  });

  describe('when a trusted proxy reports https', () => {
    it.each<[string, SessionOptions['trustProxy'], Record<string, string>, string]>([
      ['trustProxy: true, X-Forwarded-Proto', true, { 'X-Forwarded-Proto': 'https' }, SECURE],
      ["trustProxy: 'loopback', Forwarded", 'loopback', { Forwarded: 'proto=https' }, SECURE],
      ['trustProxy: 1, X-Forwarded-Proto http', 1, { 'X-Forwarded-Proto': 'http' }, PLAIN],
      ['trustProxy: false', false, { 'X-Forwarded-Proto': 'https' }, PLAIN],
      [
        "trustProxy: '10.0.0.0/8' (not the peer)",
        '10.0.0.0/8',
        { 'X-Forwarded-Proto': 'https' },
        PLAIN,
      ],
    ])('with %s writes what the client used', async (_name, trustProxy, headers, expected) => {
      const res = await request(storeAndClear({ secure: 'auto', trustProxy }))
        .get('/store')
        .set(headers);
      expect(setCookies(res)).toEqual([expected]);
    });

    it('clears the session with secure too', async () => {
      const res = await request(storeAndClear({ secure: 'auto', trustProxy: true }))
        .get('/clear')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', `session=${VALUE}`);
      expect(setCookies(res)).toEqual([`${CLEARED}; secure`]);
    });

    it('keeps secure when the trustProxy function throws', async () => {
      const trustProxy = (): boolean => {
        throw new Error('boom');
      };
      const res = await request(storeAndClear({ secure: 'auto', trustProxy })).get('/store');
      expect(setCookies(res)).toEqual([SECURE]);
    });
  });

  describe('with httpsOnly: true', () => {
    it('writes secure over plain HTTP as before', async () => {
      const res = await request(storeAndClear({ secure: 'auto', httpsOnly: true })).get('/store');
      expect(setCookies(res)).toEqual([SECURE]);
    });
  });

  describe('when the option is not "auto"', () => {
    it.each([[true], ['always'], [1]])('throws for %p', (secure) => {
      expect(() => session({ secretKey: 'k', secure: secure as 'auto' })).toThrow(
        /^@mw\/session: option "secure" must be "auto"/,
      );
    });

    it('throws for a trustProxy that is not one of its forms', () => {
      expect(() => session({ secretKey: 'k', trustProxy: 'not-an-address' })).toThrow(
        /^@mw\/session: option "trustProxy" must be/,
      );
    });
  });
});
