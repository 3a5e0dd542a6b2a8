import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import request from 'supertest';
import type { Decision } from '@mw/core';
import type { CorsOptions } from '@mw/cors';
import { O, serve } from './helpers';

/** Sends one request through `cors(options)` and returns what `mw:cors` published. */
async function decisions(
  options: CorsOptions,
  send: (agent: ReturnType<typeof request>) => request.Test,
): Promise<Decision[]> {
  const seen: Decision[] = [];
  const onMessage = (message: unknown) => seen.push(message as Decision);
  subscribe('mw:cors', onMessage);
  try {
    await send(request(serve(options)));
  } finally {
    unsubscribe('mw:cors', onMessage);
  }
  return seen;
}

const EVIL = 'https://evil.example';
const get = (origin: string) => (agent: ReturnType<typeof request>) =>
  agent.get('/items?token=secret').set('Origin', origin);
const preflight =
  (method: string, headers?: string, origin = O) =>
  (agent: ReturnType<typeof request>) => {
    const test = agent
      .options('/items')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', method);
    return headers === undefined ? test : test.set('Access-Control-Request-Headers', headers);
  };

describe('cors(options) on the mw:cors diagnostics channel', () => {
  describe('when an actual request is refused', () => {
    it.each<[string, CorsOptions, string, string]>([
      ['an unlisted origin', { allowOrigins: [O] }, EVIL, 'not in allowOrigins'],
      ['any origin when nothing is allowed', {}, EVIL, 'allowOrigins is empty'],
      [
        'an origin the regex does not match',
        { allowOriginRegex: 'https://a\\.example' },
        EVIL,
        'does not match allowOriginRegex /^(?:https:\\/\\/a\\.example)$/',
      ],
      [
        'an unlisted null',
        { allowOrigins: [O] },
        'null',
        "'null' is allowed only when listed in allowOrigins",
      ],
      [
        'a malformed origin',
        { allowOrigins: [O] },
        `${O}/`,
        'not a serialized origin (scheme://host[:port], no path)',
      ],
      [
        'an origin allowOrigin refuses',
        { allowOrigin: async () => false },
        EVIL,
        'allowOrigins is empty, and allowOrigin did not return true',
      ],
    ])('publishes origin-refused for %s, naming the rule', async (_name, options, origin, why) => {
      const seen = await decisions(options, get(origin));
      expect(seen).toEqual([
        {
          package: 'cors',
          event: 'origin-refused',
          reason: `refused origin ${origin}: ${why}`,
          method: 'GET',
          path: '/items',
          origin,
        },
      ]);
    });
  });

  describe('when a preflight is refused', () => {
    it.each<[string, CorsOptions, ReturnType<typeof preflight>, string, string]>([
      [
        'a method',
        { allowOrigins: [O] },
        preflight('PUT'),
        'method PUT not in allowMethods [GET]',
        'Disallowed CORS method',
      ],
      [
        'headers, naming each refused one',
        { allowOrigins: [O], allowHeaders: ['X-A'] },
        preflight('GET', 'X-A, X-Token, X-Other'),
        'header X-Token, X-Other not in allowHeaders',
        'Disallowed CORS headers',
      ],
      [
        'an empty header item',
        { allowOrigins: [O] },
        preflight('GET', 'accept,'),
        'header (empty item) not in allowHeaders',
        'Disallowed CORS headers',
      ],
      [
        'the origin and the method',
        { allowOrigins: [O] },
        preflight('DELETE', undefined, EVIL),
        `origin ${EVIL}: not in allowOrigins; method DELETE not in allowMethods [GET]`,
        'Disallowed CORS origin, method',
      ],
      [
        'private network access',
        { allowOrigins: [O] },
        (agent) => preflight('GET')(agent).set('Access-Control-Request-Private-Network', 'true'),
        'private network access requested but allowPrivateNetwork is false',
        'Disallowed CORS private-network',
      ],
    ])('publishes preflight-refused for %s', async (_name, options, send, why, body) => {
      const seen = await decisions(options, send);
      expect(seen).toEqual([
        expect.objectContaining({
          event: 'preflight-refused',
          reason: `refused preflight: ${why}`,
          method: 'OPTIONS',
          path: '/items',
          status: 400,
          body,
        }),
      ]);
    });
  });

  describe('when an allowOrigin predicate decides', () => {
    it('publishes predicate-allowed for an origin it allows', async () => {
      const seen = await decisions({ allowOrigin: () => true }, get(EVIL));
      expect(seen).toEqual([
        expect.objectContaining({
          event: 'predicate-allowed',
          reason: `allowOrigin allowed origin ${EVIL}`,
        }),
      ]);
    });

    it('publishes predicate-error with the error message', async () => {
      const seen = await decisions(
        { allowOrigin: () => Promise.reject(new Error('db down')) },
        get(EVIL),
      );
      expect(seen).toEqual([
        expect.objectContaining({
          event: 'predicate-error',
          reason: `allowOrigin failed for origin ${EVIL}: db down`,
        }),
      ]);
    });

    it('publishes predicate-timeout when it does not settle in time', async () => {
      const seen = await decisions(
        { allowOrigin: () => new Promise(() => {}), allowOriginTimeout: 20 },
        get(EVIL),
      );
      expect(seen).toEqual([
        expect.objectContaining({
          event: 'predicate-timeout',
          reason: expect.stringContaining('did not settle within 20 ms'),
        }),
      ]);
    });
  });

  describe('when nothing is refused', () => {
    it.each<[string, ReturnType<typeof preflight>]>([
      ['an allowed actual request', get(O)],
      ['an allowed preflight', preflight('GET')],
      ['a request without Origin', (agent) => agent.get('/')],
    ])('publishes nothing for %s', async (_name, send) => {
      expect(await decisions({ allowOrigins: [O] }, send)).toEqual([]);
    });
  });
});
