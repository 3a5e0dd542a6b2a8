/**
 * Issue 17: `DEBUG=mw:*` prints one line per decision, naming the request and the reason, as a
 * user starting their app with it sees them; never a secret or a cookie value, and never a
 * client's long header in full.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const SECRET = 'a-session-secret-that-must-never-be-printed';
const COOKIE_VALUE = 'eyJ1c2VyIjoiYWxpY2UifQ==.ZmFrZQ.c2lnbmF0dXJlLXRoYXQtaXMtZmF';

interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
}

function start(debug: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(__dirname, 'fixtures/explain-server.js')], {
    env: { ...process.env, DEBUG: debug, DEBUG_COLORS: 'no', SESSION_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) =>
      resolve({ child, port: Number(chunk.toString().trim()), stderr: () => err }),
    );
  });
}

function get(port: number, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: url, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

/** Waits until stderr has `count` lines (debug writes asynchronously to a pipe). */
async function lines(server: Server, count: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const out = server.stderr().split('\n').filter(Boolean);
    if (out.length >= count) return out;
    await new Promise((r) => setTimeout(r, 20));
  }
  return server.stderr().split('\n').filter(Boolean);
}

describe('DEBUG=mw:* in a child process', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start('mw:*');
  });
  afterAll(() => {
    server.child.kill();
  });

  const ok = { Host: 'example.com' };
  const requests: [string, string, Record<string, string>, number][] = [
    ['cors', '/api?token=hunter2', { ...ok, Origin: 'https://evil.example' }, 200],
    ['trusted-host', '/', { Host: 'evil.example' }, 400],
    ['gzip', '/events', { ...ok, 'Accept-Encoding': 'gzip' }, 200],
    ['session', '/session', { ...ok, Cookie: `session=${COOKIE_VALUE}` }, 200],
    ['https-redirect', '/redirect/a?b=c', ok, 307],
    ['long header', '/api', { ...ok, Origin: `https://${'a'.repeat(5000)}.example` }, 200],
  ];

  it('prints one line per decision, with method, path and reason', async () => {
    for (const [, url, headers, status] of requests) {
      expect(await get(server.port, url, headers)).toBe(status);
    }
    const out = await lines(server, 8);
    const expected = [
      /mw:stack runs in order: trustedHostMiddleware \(trusted-host\), corsMiddleware \(cors\), gzipMiddleware \(gzip\), sessionMiddleware \(session\)$/,
      /mw:cors refused origin https:\/\/evil\.example: not in allowOrigins \(GET \/api\)/,
      /mw:trusted-host refused Host evil\.example:80 matches no pattern in allowedHosts \(GET \/\)/,
      /mw:gzip skipped: Content-Type text\/event-stream is excluded \(GET \/events\)/,
      /mw:session ignored cookie session: signature does not verify \(signed with another secretKey, or altered\); the session starts empty \(GET \/session\)/,
      /mw:https-redirect redirected plain HTTP to https:\/\/example\.com\/redirect\/a\?… \(307\); no HSTS on plain HTTP/,
      /mw:cors refused origin https:\/\/a{100,}…\(\+\d+ chars\): not a serialized origin/,
    ];
    for (const pattern of expected) {
      expect(out.filter((line) => pattern.test(line))).toHaveLength(1);
    }
  });

  it('never prints the session secret, the cookie value, a query string or a long header in full', async () => {
    const all = server.stderr();
    expect(all).toContain('mw:session');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(COOKIE_VALUE);
    expect(all).not.toContain(COOKIE_VALUE.split('.')[0]);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('a'.repeat(200));
    for (const line of all.split('\n')) expect(line.length).toBeLessThan(700);
  });
});

describe('DEBUG=mw:cors in a child process', () => {
  it('prints the cors lines only', async () => {
    const server = await start('mw:cors');
    try {
      await get(server.port, '/', { Host: 'evil.example' });
      await get(server.port, '/x', { Host: 'example.com', Origin: 'https://evil.example' });
      const out = await lines(server, 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(server.stderr().split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(
          /mw:cors refused origin https:\/\/evil\.example: not in allowOrigins \(GET \/x\)/,
        ),
      ]);
      expect(out).toHaveLength(1);
    } finally {
      server.child.kill();
    }
  });
});

describe('with no DEBUG', () => {
  it('prints nothing', async () => {
    const server = await start('');
    try {
      await get(server.port, '/', { Host: 'evil.example' });
      await new Promise((r) => setTimeout(r, 100));
      expect(server.stderr()).toBe('');
    } finally {
      server.child.kill();
    }
  });
});
