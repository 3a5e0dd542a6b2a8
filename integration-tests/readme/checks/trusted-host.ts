/** @mw/trusted-host README examples. */
import type { Checks, ExampleCheck } from '../support';

const expressExample: ExampleCheck = {
  kind: 'program',
  async check(app) {
    for (const host of ['example.com', 'www.example.com', 'api.example.com:8443', undefined]) {
      const answer = await app.request('/', host ? { headers: { Host: host } } : {});
      expect([host, answer.status, answer.body]).toEqual([host, 200, 'OK']);
    }
    const foreign = await app.request('/', { headers: { Host: 'evil.test' } });
    expect([foreign.status, foreign.body]).toEqual([400, 'Invalid host header']);
  },
};

const stackExample: ExampleCheck = {
  kind: 'module',
  async check({ middleware }, serve) {
    const app = await serve(middleware);
    const foreign = await app.request('/', { headers: { Host: 'evil.test' } });
    expect([foreign.status, foreign.body]).toEqual([400, 'Invalid host header']);
    const ours = await app.request('/', { headers: { Host: 'example.com' } });
    expect([ours.status, ours.headers.location]).toEqual([307, 'https://example.com/']);
  },
};

export const checks: Checks = {
  'examples/readme/trusted-host/express.ts': expressExample,
  'examples/readme/trusted-host/express.cjs': expressExample,
  'examples/readme/trusted-host/node-http.ts': {
    kind: 'program',
    async check(app) {
      const local = await app.request('/');
      expect([local.status, local.body]).toEqual([200, 'OK']);
      const otherPort = await app.request('/', { headers: { Host: `localhost:${app.port + 1}` } });
      expect(otherPort.status).toBe(400);
    },
  },
  'examples/readme/trusted-host/options.ts': {
    kind: 'module',
    async check({ apexAndSubdomains, wwwOnly, development }, serve) {
      const apex = await serve(apexAndSubdomains);
      for (const [host, status] of [
        ['example.com', 200],
        ['www.example.com', 200],
        ['evilexample.com', 400],
      ] as const) {
        expect([host, (await apex.request('/', { headers: { Host: host } })).status]).toEqual([
          host,
          status,
        ]);
      }
      const www = await (
        await serve(wwwOnly)
      ).request('/a?b=1', { headers: { Host: 'example.com' } });
      expect([www.status, www.headers.location]).toEqual([307, 'http://www.example.com/a?b=1']);
      const dev = await serve(development);
      for (const [host, status] of [
        ['localhost:3000', 200],
        ['127.0.0.1:3000', 200],
        ['[::1]:3000', 200],
        ['localhost:4000', 400],
      ] as const) {
        expect([host, (await dev.request('/', { headers: { Host: host } })).status]).toEqual([
          host,
          status,
        ]);
      }
    },
  },
  'examples/readme/trusted-host/stack.ts': stackExample,
};
