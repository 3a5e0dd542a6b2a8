/**
 * The other-framework examples as users run them: `npm run examples:build` (tsc: type-checks
 * them, Nest's decorators included, and emits CommonJS to examples/dist), then `node` on each,
 * on an ephemeral port, against real requests. The root README's recipes are files of
 * examples/readme/root, checked here to equal the README's blocks byte for byte.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startExample } from '../browser/helpers';
import type { Example } from '../browser/helpers';
import { fetchRaw } from './native/apps';

const ROOT = path.join(__dirname, '..', '..');

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'examples'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}, 120_000);

function cookieOf(headers: { 'set-cookie'?: string[] }): string {
  return (headers['set-cookie']?.[0] ?? '').split(';', 1)[0] ?? '';
}

describe.each([
  ['the README recipe for Fastify', 'readme/root/fastify', false],
  ['the README recipe for Koa', 'readme/root/koa', false],
  ['the README recipe for NestJS on Express', 'readme/root/nest-express', false],
  ['the README recipe for NestJS on Fastify', 'readme/root/nest-fastify', false],
  ['examples/fastify', 'fastify/server', true],
  ['examples/koa', 'koa/server', true],
  ['examples/nest on Express', 'nest/main-express', true],
  ['examples/nest on Fastify', 'nest/main-fastify', true],
])('%s', (_name, file, hasRoutes) => {
  let example: Example;
  let url: string;
  let host: string;
  beforeAll(async () => {
    example = startExample(`dist/${file}.js`, { PORT: '0', SESSION_SECRET: 'example-secret' });
    const [, port] = (await example.waitFor(/listening on http:\/\/\S+:(\d+)/, 20_000)) as string[];
    url = `http://127.0.0.1:${port}`;
    host = `localhost:${port}`;
  }, 30_000);
  afterAll(() => example?.stop('SIGTERM'));

  it('keeps a session across requests', async () => {
    const first = await fetchRaw(`${url}/`, { Host: host });
    expect(JSON.parse(first.body.toString())).toEqual({ visits: 1 });
    const second = await fetchRaw(`${url}/`, { Host: host, Cookie: cookieOf(first.headers) });
    expect(JSON.parse(second.body.toString())).toEqual({ visits: 2 });
  });

  it('answers a CORS preflight for the allowed origin', async () => {
    const res = await fetchRaw(
      `${url}/`,
      { Host: host, Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'GET' },
      'OPTIONS',
    );
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:8080');
  });

  it('refuses a host it does not serve with 400', async () => {
    const res = await fetchRaw(`${url}/`, { Host: 'evil.example.com' });
    expect(res.status).toBe(400);
    expect(res.body.toString()).toBe('Invalid host header');
  });

  if (hasRoutes) {
    it.each(['/items', '/stream'])(
      'gzips %s, which decodes to the identity bytes',
      async (route) => {
        const identity = await fetchRaw(`${url}${route}`, { Host: host });
        const res = await fetchRaw(`${url}${route}`, { Host: host, 'Accept-Encoding': 'gzip' });
        expect(res.headers['content-encoding']).toBe('gzip');
        expect(identity.body.length).toBeGreaterThan(1000);
        expect(zlib.gunzipSync(res.body)).toEqual(identity.body);
      },
    );
  }
});

describe('the root README section "Other frameworks"', () => {
  const whole = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = whole.indexOf('\n## Other frameworks\n');
  const end = whole.indexOf('\n## ', start + 1);
  const readme = whole.slice(start, end === -1 ? undefined : end);
  const blocks = [
    ...readme.matchAll(/<!-- example: (examples\/readme\/root\/\S+) -->\n```ts\n([\s\S]*?)```\n/g),
  ];

  it('shows each framework recipe as a block marked with its file', () => {
    expect(blocks.map((m) => m[1])).toEqual([
      'examples/readme/root/fastify.ts',
      'examples/readme/root/koa.ts',
      'examples/readme/root/nest-express.ts',
      'examples/readme/root/nest-fastify.ts',
    ]);
  });

  it.each(blocks.map((m) => [m[1]!, m[2]!]))('holds exactly the text of %s', (file, text) => {
    expect(text).toBe(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });
});
