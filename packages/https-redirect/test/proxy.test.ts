/**
 * `trustProxy` with Express's `trust proxy` meanings. The test client connects from 127.0.0.1,
 * so that is hop 0 (the socket peer); `X-Forwarded-For` names the hops beyond it.
 */
import request from 'supertest';
import { httpsRedirect } from '@mw/https-redirect';
import type { HttpsRedirectOptions } from '@mw/https-redirect';
import { rawRequest, selfSignedCertificate, serve, serveTls } from '../../../test-support/http';

type Trust = HttpsRedirectOptions['trustProxy'];
const peerOnly = (address: string) => address === '127.0.0.1';
const peerAndOne = (address: string) => address === '127.0.0.1' || address === '10.0.0.1';

describe('httpsRedirect({ trustProxy })', () => {
  it.each<[string, Trust, Record<string, string>, number]>([
    // trust off (the default): the socket decides; forged headers change nothing
    ['off ignores a forged X-Forwarded-Proto', undefined, { 'X-Forwarded-Proto': 'https' }, 307],
    ['false ignores a forged X-Forwarded-Proto', false, { 'X-Forwarded-Proto': 'https' }, 307],
    ['0 hops ignores a forged X-Forwarded-Proto', 0, { 'X-Forwarded-Proto': 'https' }, 307],
    ['off ignores a forged Forwarded', false, { Forwarded: 'proto=https' }, 307],
    // true: every hop trusted, the farthest (leftmost) report counts
    ['true believes https', true, { 'X-Forwarded-Proto': 'https' }, 200],
    ['true compares case-insensitively', true, { 'X-Forwarded-Proto': 'HTTPS' }, 200],
    [
      'true does not take httpsX for https (express-sslify does)',
      true,
      { 'X-Forwarded-Proto': 'httpsX' },
      307,
    ],
    ['true does not take https-ish values', true, { 'X-Forwarded-Proto': 'https;' }, 307],
    ['true reads http', true, { 'X-Forwarded-Proto': 'http' }, 307],
    ['true reads the leftmost entry', true, { 'X-Forwarded-Proto': 'https, http' }, 200],
    ['true refuses a list with an empty item', true, { 'X-Forwarded-Proto': 'https,' }, 307],
    ['true refuses an empty value', true, { 'X-Forwarded-Proto': '' }, 307],
    ['true without any forwarding header keeps the socket protocol', true, {}, 307],
    // hop counts: only the n nearest hops are believed; what a client prepends is ignored
    ['1 hop reads the last entry', 1, { 'X-Forwarded-Proto': 'http, https' }, 200],
    ['1 hop ignores a client-prepended https', 1, { 'X-Forwarded-Proto': 'https, http' }, 307],
    ['2 hops read the second-last entry', 2, { 'X-Forwarded-Proto': 'https, http' }, 200],
    [
      '2 hops ignore a third, client-written entry',
      2,
      { 'X-Forwarded-Proto': 'https, http, http' },
      307,
    ],
    ['5 hops stop at the start of a shorter list', 5, { 'X-Forwarded-Proto': 'https' }, 200],
    // functions: called with each hop's address
    ['a function trusting the peer believes it', peerOnly, { 'X-Forwarded-Proto': 'https' }, 200],
    [
      'a function not trusting the peer ignores it',
      (a: string) => a === '10.9.9.9',
      { 'X-Forwarded-Proto': 'https' },
      307,
    ],
    [
      'a function stops at the first untrusted address',
      peerOnly,
      { 'X-Forwarded-Proto': 'https, http', 'X-Forwarded-For': '1.2.3.4' },
      307,
    ],
    [
      'a function follows an unbroken chain of trusted addresses',
      peerAndOne,
      { 'X-Forwarded-Proto': 'https, http', 'X-Forwarded-For': '10.0.0.1' },
      200,
    ],
    [
      'a function gets the hop index as its second argument',
      (_a: string, hop: number) => hop < 2,
      { 'X-Forwarded-Proto': 'https, http', 'X-Forwarded-For': '10.0.0.1' },
      200,
    ],
    [
      'a function without the hop address stops the chain',
      peerAndOne,
      { 'X-Forwarded-Proto': 'https, http' },
      307,
    ],
    // Forwarded (RFC 7239) when X-Forwarded-Proto is absent
    ['Forwarded proto=https is read', 1, { Forwarded: 'for=1.2.3.4;proto=https' }, 200],
    [
      'Forwarded proto may be quoted',
      1,
      { Forwarded: 'for="[2001:db8::1]:4711";proto="https"' },
      200,
    ],
    [
      'Forwarded: the nearest element counts with 1 hop',
      1,
      { Forwarded: 'proto=https, proto=http' },
      307,
    ],
    [
      'Forwarded: a function follows the for= addresses',
      peerAndOne,
      { Forwarded: 'proto=https, for=10.0.0.1;proto=http' },
      200,
    ],
    [
      'X-Forwarded-Proto wins over Forwarded',
      1,
      { 'X-Forwarded-Proto': 'http', Forwarded: 'proto=https' },
      307,
    ],
  ])('%s', async (_name, trustProxy, headers, status) => {
    const res = await request(serve(httpsRedirect({ trustProxy })))
      .get('/')
      .set('Host', 'example.com')
      .set(headers)
      .redirects(0);
    expect(res.status).toBe(status);
    if (status === 307) expect(res.headers.location).toBe('https://example.com/');
  });

  it('reads several X-Forwarded-Proto lines as one list (a client line first)', async () => {
    const head = [
      'GET / HTTP/1.1',
      'Host: example.com',
      'X-Forwarded-Proto: https',
      'X-Forwarded-Proto: http',
    ];
    expect((await rawRequest(serve(httpsRedirect({ trustProxy: 1 })), head)).status).toBe(307);
    expect((await rawRequest(serve(httpsRedirect({ trustProxy: 2 })), head)).status).toBe(200);
  });

  it('lets a TLS request through when no proxy is trusted, whatever X-Forwarded-Proto says', async () => {
    const server = serveTls(httpsRedirect(), selfSignedCertificate());
    const res = await request(server)
      .get('/')
      .set('Host', 'example.com')
      .set('X-Forwarded-Proto', 'http')
      .disableTLSCerts();
    expect(res.status).toBe(200);
  });

  it('hands an error thrown by the trust function to next(err)', async () => {
    const trustProxy = () => {
      throw new Error('trust failed');
    };
    const res = await request(serve(httpsRedirect({ trustProxy })))
      .get('/')
      .set('Host', 'example.com');
    expect(res.status).toBe(500);
    expect(res.text).toBe('error: Error: trust failed');
  });
});
