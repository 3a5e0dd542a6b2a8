/**
 * trusted-host's README HTTP/2 example (examples/readme/trusted-host/http2.mjs) run as a user
 * runs it, with a throw-away certificate: curl and Node's http2 client get HTTP/2, curl
 * --http1.1 gets HTTP/1.1 on the same port, the full stack() answers both. Needs `npm run build`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfSignedCertificate } from '../../test-support/http';
import { curl, freePort, h2request, runExample } from './support';
import type { Child } from './support';

let example: Child;
let port: number;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-h2-example-'));
  const { key, cert } = selfSignedCertificate();
  fs.writeFileSync(path.join(dir, 'key.pem'), key);
  fs.writeFileSync(path.join(dir, 'cert.pem'), cert);
  port = await freePort();
  example = await runExample('examples/readme/trusted-host/http2.mjs', {
    PORT: String(port),
    TLS_KEY: path.join(dir, 'key.pem'),
    TLS_CERT: path.join(dir, 'cert.pem'),
  });
}, 30_000);

afterAll(async () => {
  await example?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("trusted-host's HTTP/2 README example", () => {
  it.each([
    ['--http2', 'HTTP/2.0'],
    ['--http1.1', 'HTTP/1.1'],
  ])('answers curl %s with HSTS, gzip and a Secure session cookie', async (flag, version) => {
    const res = await curl(`https://localhost:${port}/`, [flag]);
    expect(res.status).toBe(200);
    expect(res.body).toBe(`${version}, visit 1\n`);
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(res.headers['set-cookie']).toMatch(/; secure$/);
  });

  it("answers Node's http2 client, and refuses a foreign :authority", async () => {
    const ok = await h2request(`https://localhost:${port}`, { ':path': '/' });
    expect([ok.status, ok.body]).toEqual([200, 'HTTP/2.0, visit 1\n']);
    const evil = await h2request(`https://localhost:${port}`, {
      ':path': '/',
      ':authority': 'evil.example',
    });
    expect([evil.status, evil.body]).toEqual([400, 'Invalid host header']);
  });

  it('sends example.com with a cookie it issued back the session', async () => {
    const first = await curl(`https://example.com:${port}/`, ['--http2']);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    const second = await curl(`https://example.com:${port}/`, [
      '--http2',
      '-H',
      `Cookie: ${cookie}`,
    ]);
    expect(second.body).toBe('HTTP/2.0, visit 2\n');
  });
});
