import request from 'supertest';
import { trustedHost } from '@mw/trusted-host';
import type { TrustedHostOptions } from '@mw/trusted-host';
import { decisions } from '../../../test-support/decisions';
import { serve } from '../../../test-support/http';

const send = (options: TrustedHostOptions, headers: Record<string, string>) =>
  decisions('trusted-host', () => {
    const test = request(serve(trustedHost(options))).get('/reset?token=secret');
    for (const [name, value] of Object.entries(headers)) test.set(name, value);
    return test;
  });

describe('trustedHost(options) on the mw:trusted-host diagnostics channel', () => {
  it.each<[string, TrustedHostOptions, Record<string, string>, string]>([
    [
      'a host no pattern allows',
      { allowedHosts: ['example.com'] },
      { Host: 'evil.example' },
      'refused Host evil.example:80 matches no pattern in allowedHosts',
    ],
    [
      'a malformed host',
      { allowedHosts: ['*'] },
      { Host: 'example.com:' },
      'refused host: Host example.com: is malformed',
    ],
    [
      'a forwarded host no pattern allows',
      { allowedHosts: ['example.com'], trustProxy: true },
      { Host: 'example.com', 'X-Forwarded-Host': 'evil.example' },
      'refused X-Forwarded-Host evil.example:80 matches no pattern in allowedHosts',
    ],
    [
      'a malformed forwarded host',
      { allowedHosts: ['example.com'], trustProxy: true },
      { Host: 'example.com', 'X-Forwarded-Host': 'a b' },
      'refused host: X-Forwarded-Host a b from a trusted proxy is malformed',
    ],
  ])('publishes host-refused for %s', async (_name, options, headers, reason) => {
    expect(await send(options, headers)).toEqual([
      expect.objectContaining({
        package: 'trusted-host',
        event: 'host-refused',
        reason,
        method: 'GET',
        path: '/reset',
        status: 400,
      }),
    ]);
  });

  it('publishes www-redirect, without the query', async () => {
    expect(await send({ allowedHosts: ['www.example.com'] }, { Host: 'example.com' })).toEqual([
      expect.objectContaining({
        event: 'www-redirect',
        reason: 'redirected host example.com to its www. form: http://www.example.com/reset (307)',
      }),
    ]);
  });

  it('publishes nothing for an allowed host', async () => {
    expect(await send({ allowedHosts: ['example.com'] }, { Host: 'example.com' })).toEqual([]);
  });
});
