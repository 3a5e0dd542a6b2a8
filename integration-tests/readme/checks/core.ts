/** @mw/core README examples. */
import { cors } from '@mw/cors';
import type { Checks, ExampleCheck } from '../support';

const varyExample: ExampleCheck = {
  kind: 'program',
  async check(app) {
    const en = await app.request('/');
    expect([en.status, en.body]).toEqual([200, 'Hello']);
    expect(en.headers.vary).toBe('Accept-Encoding, Accept-Language');
    const fr = await app.request('/', { headers: { 'Accept-Language': 'fr' } });
    expect(fr.body).toBe('Bonjour');
  },
};

export const checks: Checks = {
  'examples/readme/core/express.ts': varyExample,
  'examples/readme/core/express.cjs': varyExample,
  'examples/readme/core/node-http.ts': {
    kind: 'program',
    async check(app) {
      const ok = await app.request('/', { headers: { Host: 'Example.COM.:8080' } });
      expect([ok.status, ok.body]).toEqual([200, 'hello example.com']);
      const bad = await app.request('/', { headers: { Host: 'evil.test/x' } });
      expect([bad.status, bad.body]).toEqual([400, 'Invalid host header']);
    },
  },
  'examples/readme/core/subscribe.cjs': {
    kind: 'module',
    async check(_exports, serve) {
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        const app = await serve(cors({ allowOrigins: ['https://app.example.com'] }));
        await app.request('/', { headers: { Origin: 'https://evil.example' } });
        expect(log).toHaveBeenCalledWith('origin-refused', expect.stringContaining('evil.example'));
      } finally {
        log.mockRestore();
      }
    },
  },
};
