/**
 * The "WebSockets" recipes of the READMEs: each block is the file it names
 * (`<!-- example: examples/readme/<pkg>/<name>.mjs -->`), started here as a user would
 * (`node file.mjs` with `PORT=0`) and driven with the `ws` client or socket.io-client.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import request from 'supertest';
import { startExample } from '../browser/helpers';
import type { Example } from '../browser/helpers';
import { handshake } from '../../test-support/websocket';

const ROOT = path.join(__dirname, '..', '..');

/** The README that shows `file` (`examples/readme/<pkg>/...` is shown by `packages/<pkg>`). */
function blockFor(file: string): string | undefined {
  const pkg = file.split('/')[2]!;
  const readme = readFileSync(path.join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
  const marker = `<!-- example: ${file} -->\n`;
  const at = readme.indexOf(marker);
  if (at === -1) return undefined;
  const fence = /^```(?:js|javascript)\n([\s\S]*?)^```$/m.exec(readme.slice(at + marker.length));
  return fence?.[1];
}

let example: Example | undefined;
afterEach(async () => {
  await example?.stop('SIGTERM');
  example = undefined;
});

async function start(file: string): Promise<string> {
  example = startExample(file.replace(/^examples\//, ''), { PORT: '0' });
  const [, url] = await example.waitFor(/listening on (http:\/\/\S+)/);
  return url!;
}

async function login(url: string): Promise<string> {
  const res = await request(url).get('/login');
  return (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
}

function socketIoHello(
  url: string,
  transport: string,
  extraHeaders: Record<string, string> = {},
): Promise<unknown> {
  const socket = connect(url, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  return new Promise<unknown>((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
  }).finally(() => socket.close());
}

const FILES = [
  'examples/readme/stack/websocket-ws.mjs',
  'examples/readme/stack/websocket-socketio.mjs',
  'examples/readme/trusted-host/websocket.mjs',
  'examples/readme/https-redirect/websocket.mjs',
  'examples/readme/session/websocket-socketio.mjs',
  'examples/readme/cors/websocket.mjs',
];

describe('README WebSockets recipes', () => {
  it.each(FILES)('%s is the README block, byte for byte', (file) => {
    expect(blockFor(file)).toBe(readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it('stack ws recipe: session user on the socket, bad Host 400, cross-site 403', async () => {
    const url = await start(FILES[0]!);
    const wsUrl = url.replace('http', 'ws');
    const cookie = await login(url);
    expect(await handshake(wsUrl, { headers: { Cookie: cookie } })).toMatchObject({
      opened: true,
      message: 'hello ada',
    });
    expect(await handshake(wsUrl, { headers: { Host: 'evil.example' } })).toMatchObject({
      status: 400,
    });
    const evil = await handshake(wsUrl, { headers: { Origin: 'https://evil.example' } });
    expect(evil).toMatchObject({ status: 403, body: 'Disallowed WebSocket origin' });
    const app = await handshake(wsUrl, { headers: { Origin: 'https://app.example.com' } });
    expect(app).toMatchObject({ opened: true, message: 'hello guest' });
  });

  it.each([['polling'], ['websocket']])(
    'stack socket.io recipe over %s: the session user, or guest without a cookie',
    async (transport) => {
      const url = await start(FILES[1]!);
      expect(await socketIoHello(url, transport, { Cookie: await login(url) })).toBe('ada');
      expect(await socketIoHello(url, transport)).toBe('guest');
    },
  );

  it('stack socket.io recipe: a cross-site WebSocket handshake is closed', async () => {
    const url = await start(FILES[1]!);
    const evil = { Origin: 'https://evil.example' };
    await expect(socketIoHello(url, 'websocket', evil)).rejects.toThrow(/websocket error/);
  });

  it('trusted-host recipe: 400 for a bad Host, open for an allowed one', async () => {
    const wsUrl = (await start(FILES[2]!)).replace('http', 'ws');
    expect(await handshake(wsUrl, { headers: { Host: 'evil.example' } })).toMatchObject({
      status: 400,
      body: 'Invalid host header',
    });
    expect(await handshake(wsUrl)).toMatchObject({ opened: true, message: 'hello' });
  });

  it('https-redirect recipe: ws:// gets 308 to wss://, a proxied wss:// opens', async () => {
    const wsUrl = (await start(FILES[3]!)).replace('http', 'ws');
    const plain = await handshake(wsUrl, { headers: { Host: 'example.com' }, path: '/live' });
    expect(plain).toMatchObject({ status: 308 });
    expect(plain.headers.location).toBe('wss://example.com/live');
    const proxied = await handshake(wsUrl, { headers: { 'X-Forwarded-Proto': 'https' } });
    expect(proxied).toMatchObject({ opened: true, message: 'hello over wss' });
  });

  it.each([['polling'], ['websocket']])(
    'session socket.io recipe over %s: socket.request.session is readable',
    async (transport) => {
      const url = await start(FILES[4]!);
      expect(await socketIoHello(url, transport, { Cookie: await login(url) })).toBe('ada');
    },
  );

  it('cors recipe: own origin, allowed origin and no Origin open; another site gets 403', async () => {
    const url = await start(FILES[5]!);
    const wsUrl = url.replace('http', 'ws');
    for (const origin of [url, 'https://app.example.com']) {
      expect(await handshake(wsUrl, { headers: { Origin: origin } })).toMatchObject({
        opened: true,
      });
    }
    expect(await handshake(wsUrl)).toMatchObject({ opened: true });
    const evil = await handshake(wsUrl, { headers: { Origin: 'https://evil.example' } });
    expect(evil).toMatchObject({ status: 403, body: 'Disallowed WebSocket origin' });
  });
});
