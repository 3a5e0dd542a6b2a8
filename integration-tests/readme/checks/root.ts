/** The root README's example: the whole collection on Express. */
import type { Checks } from '../support';

const FRAMEWORKS = 'integration-tests/frameworks/examples.test.ts';

export const checks: Checks = {
  'examples/readme/root/express.ts': {
    kind: 'program',
    env: { SESSION_SECRET: 'readme-example-secret' },
    async check(app) {
      const first = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ visits: 1 });
      const cookie = String(first.headers['set-cookie']?.[0]).split(';')[0]!;
      expect(cookie).toMatch(/^session=/);
      const second = await app.request('/', { headers: { Cookie: cookie } });
      expect(JSON.parse(second.body)).toEqual({ visits: 2 });

      const foreign = await app.request('/', { headers: { Host: 'evil.test' } });
      expect([foreign.status, foreign.body]).toEqual([400, 'Invalid host header']);

      const preflight = await app.request('/', {
        method: 'OPTIONS',
        headers: {
          Host: 'api.example.com',
          Origin: 'https://app.example.com',
          'Access-Control-Request-Method': 'GET',
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(preflight.headers['access-control-allow-credentials']).toBe('true');
      expect(preflight.headers['set-cookie']).toBeUndefined();
    },
  },
  // The other frameworks' recipes start real Fastify, Koa and NestJS apps in their own suite.
  'examples/readme/root/fastify.ts': { kind: 'external', test: FRAMEWORKS },
  'examples/readme/root/koa.ts': { kind: 'external', test: FRAMEWORKS },
  'examples/readme/root/nest-express.ts': {
    kind: 'external',
    test: FRAMEWORKS,
    esmOnly: 'NestJS 12 ships ES modules only',
  },
  'examples/readme/root/nest-fastify.ts': {
    kind: 'external',
    test: FRAMEWORKS,
    esmOnly: 'NestJS 12 ships ES modules only',
  },
};
