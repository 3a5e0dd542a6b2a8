/** @mw/core README examples. */
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
    // A subscriber lives as long as the process: checked in a child, not in jest's worker.
    kind: 'preload',
    driver: `
      const http = require('node:http');
      const { cors } = require('@mw/cors');
      const mw = cors({ allowOrigins: ['https://app.example.com'] });
      const server = http.createServer((req, res) => mw(req, res, () => res.end('OK')));
      server.listen(0, '127.0.0.1', () => {
        const headers = { Origin: 'https://evil.example' };
        http.get({ host: '127.0.0.1', port: server.address().port, headers }, (res) => {
          res.resume();
          res.on('end', () => server.close());
        });
      });`,
    output: /^origin-refused .*evil\.example/m,
  },
};
