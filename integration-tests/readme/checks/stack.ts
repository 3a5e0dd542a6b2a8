/** @mw/stack README examples. */
import type { Checks, ExampleCheck } from '../support';

const expressExample: ExampleCheck = {
  kind: 'program',
  env: { SESSION_SECRET: 'readme-example-secret' },
  async check(app) {
    const foreign = await app.request('/', {
      headers: { Host: 'evil.test', Origin: 'https://app.example.com' },
    });
    // trustedHost ran first: no CORS headers, no session on the refusal.
    expect([foreign.status, foreign.headers['access-control-allow-origin']]).toEqual([
      400,
      undefined,
    ]);
    expect(foreign.headers['set-cookie']).toBeUndefined();
    const first = await app.request('/', {
      headers: { Host: 'example.com', Origin: 'https://app.example.com' },
    });
    expect([first.status, first.body]).toEqual([200, '{"visits":1}']);
    expect(first.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const cookie = String(first.headers['set-cookie']?.[0]).split(';')[0]!;
    const second = await app.request('/', { headers: { Cookie: cookie } });
    expect(second.body).toBe('{"visits":2}');
  },
};

export const checks: Checks = {
  'examples/readme/stack/express.ts': expressExample,
  'examples/readme/stack/express.cjs': expressExample,
  'examples/readme/stack/node-http.ts': {
    kind: 'program',
    async check(app) {
      const gzipped = await app.request('/', { headers: { 'Accept-Encoding': 'gzip, br' } });
      expect([gzipped.status, gzipped.headers['content-encoding']]).toEqual([200, 'gzip']);
      expect(JSON.parse(gzipped.body)).toHaveLength(100);
      expect(gzipped.wireBytes).toBeLessThan(gzipped.body.length / 2);
      const identity = await app.request('/');
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.headers.vary).toBe('Accept-Encoding');
    },
  },
};
