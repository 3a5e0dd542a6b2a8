/** @mw/https-redirect README examples (plain HTTP side: the redirects and what decides them). */
import type { Checks, ExampleCheck } from '../support';

const expressExample: ExampleCheck = {
  kind: 'program',
  async check(app) {
    const plain = await app.request('/?a=1', { headers: { Host: 'example.com' } });
    expect([plain.status, plain.headers.location]).toEqual([307, 'https://example.com/?a=1']);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const local = await app.request('/');
    expect([local.status, local.headers.location]).toEqual([307, `https://localhost:${app.port}/`]);
    const foreign = await app.request('/', { headers: { Host: 'evil.test' } });
    expect([foreign.status, foreign.headers.location]).toEqual([400, undefined]);
  },
};

export const checks: Checks = {
  'examples/readme/https-redirect/express.ts': expressExample,
  'examples/readme/https-redirect/express.cjs': expressExample,
  'examples/readme/https-redirect/node-http.ts': {
    kind: 'program',
    async check(app) {
      const plain = await app.request('/docs?q=1', { headers: { Host: 'example.com' } });
      expect([plain.status, plain.headers.location]).toEqual([307, 'https://example.com/docs?q=1']);
      const local = await app.request('/');
      expect(local.headers.location).toBe(`https://localhost:${app.port}/`);
    },
  },
  'examples/readme/https-redirect/options.ts': {
    kind: 'module',
    async check({ behindLoadBalancer, privateNetwork, preload }, serve) {
      const lb = await serve(behindLoadBalancer);
      const viaTls = await lb.request('/', {
        headers: { Host: 'example.com', 'X-Forwarded-Proto': 'https' },
      });
      expect([viaTls.status, viaTls.body]).toEqual([200, 'OK']);
      expect(viaTls.headers['strict-transport-security']).toBe(
        'max-age=63072000; includeSubDomains',
      );
      const viaHttp = await lb.request('/', {
        headers: { Host: 'example.com', 'X-Forwarded-Proto': 'http' },
      });
      expect([viaHttp.status, viaHttp.headers.location]).toEqual([308, 'https://example.com/']);

      // The test's client is 127.0.0.1, not on 10/8: its X-Forwarded-Proto is not believed.
      const outsider = await (
        await serve(privateNetwork)
      ).request('/', { headers: { Host: 'example.com', 'X-Forwarded-Proto': 'https' } });
      expect([outsider.status, outsider.headers.location]).toEqual([307, 'https://example.com/']);

      const preloaded = await (await serve(preload)).request('/', { headers: { Host: 'a.test' } });
      expect([preloaded.status, preloaded.headers['strict-transport-security']]).toEqual([
        307,
        undefined,
      ]);
    },
  },
  'examples/readme/https-redirect/stack.ts': {
    kind: 'module',
    async check({ middleware }, serve) {
      const app = await serve(middleware);
      const foreign = await app.request('/', { headers: { Host: 'evil.test' } });
      expect([foreign.status, foreign.headers.location]).toEqual([400, undefined]);
      const ours = await app.request('/', { headers: { Host: 'example.com' } });
      expect([ours.status, ours.headers.location]).toEqual([307, 'https://example.com/']);
    },
  },
};
