/** @mw/cors README examples. */
import type { Answer, Checks, Client, ExampleCheck } from '../support';

function preflight(app: Client, origin: string, path = '/api/items', method = 'PUT') {
  return app.request(path, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'content-type',
    },
  });
}

function allowed(answer: Answer): string | undefined {
  return answer.headers['access-control-allow-origin'] as string | undefined;
}

const expressExample: ExampleCheck = {
  kind: 'program',
  async check(app) {
    for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
      const answer = await preflight(app, origin);
      expect([answer.status, allowed(answer)]).toEqual([200, origin]);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
    }
    const refused = await preflight(app, 'https://evilexample.com');
    expect([refused.status, allowed(refused)]).toEqual([400, undefined]);
    const get = await app.request('/api/items', { headers: { Origin: 'https://app.example.com' } });
    expect([get.status, get.body, allowed(get)]).toEqual([200, '[]', 'https://app.example.com']);
  },
};

export const checks: Checks = {
  'examples/readme/cors/express.ts': expressExample,
  'examples/readme/cors/express.cjs': expressExample,
  'examples/readme/cors/node-http.ts': {
    kind: 'program',
    async check(app) {
      const home = await app.request('/', { headers: { Origin: 'https://app.example.com' } });
      expect([home.status, home.body, allowed(home)]).toEqual([
        200,
        'Homepage',
        'https://app.example.com',
      ]);
      const other = await app.request('/', { headers: { Origin: 'https://other.test' } });
      expect([other.status, allowed(other), other.headers.vary]).toEqual([
        200,
        undefined,
        'Origin',
      ]);
    },
  },
  'examples/readme/cors/express5-preflight.ts': {
    kind: 'module',
    async check({ mounted, perRoute }, serve) {
      for (const app of [await serve(mounted), await serve(perRoute)]) {
        for (const path of ['/api/items', '/', '/not/routed']) {
          const answer = await preflight(app, 'https://app.example.com', path, 'POST');
          expect([path, answer.status, allowed(answer)]).toEqual([
            path,
            200,
            'https://app.example.com',
          ]);
        }
        const created = await app.request('/api/items', {
          method: 'POST',
          headers: { Origin: 'https://app.example.com' },
        });
        expect([created.status, allowed(created)]).toEqual([201, 'https://app.example.com']);
      }
    },
  },
  'examples/readme/cors/options.ts': {
    kind: 'module',
    async check({ publicApi, firstParty, tenantDomains }, serve) {
      const open = await serve(publicApi);
      const read = await open.request('/', { headers: { Origin: 'https://anyone.test' } });
      expect(allowed(read)).toBe('*');
      expect((await preflight(open, 'https://anyone.test', '/', 'DELETE')).status).toBe(400);

      const app = await serve(firstParty);
      const preview = await preflight(app, 'https://pr-7.preview.example.com', '/', 'PATCH');
      expect([preview.status, allowed(preview)]).toEqual([200, 'https://pr-7.preview.example.com']);
      expect(preview.headers['access-control-max-age']).toBe('3600');
      const exposed = await app.request('/', { headers: { Origin: 'https://app.example.com' } });
      expect(exposed.headers['access-control-expose-headers']).toBe('X-Request-Id');

      const tenants = await serve(tenantDomains);
      const shop = await tenants.request('/', { headers: { Origin: 'https://shop.example.net' } });
      expect(allowed(shop)).toBe('https://shop.example.net');
      const stranger = await tenants.request('/', { headers: { Origin: 'https://x.example.net' } });
      expect(allowed(stranger)).toBeUndefined();
    },
  },
  'examples/readme/cors/stack.ts': {
    kind: 'module',
    env: { SESSION_SECRET: 'readme-example-secret' },
    async check({ middleware }, serve) {
      const app = await serve(middleware, (req, res) => {
        (req as unknown as { session: Record<string, unknown> }).session.seen = true;
        res.end('OK');
      });
      const pre = await preflight(app, 'https://app.example.com', '/', 'GET');
      expect([pre.status, pre.headers['set-cookie']]).toEqual([200, undefined]);
      const get = await app.request('/', { headers: { Origin: 'https://app.example.com' } });
      expect(allowed(get)).toBe('https://app.example.com');
      expect(String(get.headers['set-cookie'])).toMatch(/^session=/);
    },
  },
};
