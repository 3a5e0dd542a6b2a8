/**
 * HTTP/1.1 habits under node:http2 with the collection in front: an app that sets
 * `Connection: keep-alive` (as most server-sent-events code does) is answered as bare
 * node:http2 answers it (the header dropped, the stream delivered, compressed by gzip), and a
 * header HTTP/2 forbids outright (`Transfer-Encoding`) fails in the app's own call, exactly as
 * without middleware, never later inside @mw. Needs `npm run build`.
 */
import http2 from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { Middleware } from '@mw/core';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const EVENT = `data: ${'tick '.repeat(200)}\n\n`;

async function exchange(mw: Middleware | undefined, app: Listener) {
  const handler: Listener = (req, res) => (mw ? mw(req, res, () => app(req, res)) : app(req, res));
  const server = http2.createServer(handler as unknown as Parameters<typeof http2.createServer>[0]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    return await new Promise<{ head: http2.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const req = client.request({
          ':path': '/',
          'accept-encoding': 'gzip',
          origin: 'https://a.example',
        });
        const chunks: Buffer[] = [];
        let head: http2.IncomingHttpHeaders = {};
        req.on('response', (h) => (head = h));
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve({ head, body: Buffer.concat(chunks) }));
        req.on('error', reject);
        req.end();
      },
    );
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

const full = (): Middleware =>
  stack(session({ secretKey: 'h2' }), gzip(), cors({ allowOrigins: ['https://a.example'] }));

describe('an HTTP/1.1-minded app under node:http2', () => {
  beforeAll(() => {
    // Node warns once that it drops the Connection header; the test expects that drop.
    jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  const sse: Listener = (_req, res) => {
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Connection', 'keep-alive');
    res.write(EVENT);
    (res as ServerResponse & { flush?: () => void }).flush?.();
    setTimeout(() => res.end(EVENT), 5);
  };

  it('streams server-sent events set up with Connection: keep-alive, as bare node:http2 does', async () => {
    const bare = await exchange(undefined, sse);
    const ours = await exchange(full(), sse);
    expect(bare.head.connection).toBeUndefined();
    expect(ours.head.connection).toBeUndefined();
    expect([ours.head[':status'], ours.head['access-control-allow-origin']]).toEqual([
      200,
      'https://a.example',
    ]);
    // text/event-stream is excluded from compression by default: the body arrives as sent.
    expect(ours.body.toString()).toBe(bare.body.toString());
    expect(ours.body.toString()).toBe(EVENT + EVENT);
  });

  it('compresses a body the app sent with Connection: keep-alive', async () => {
    const app: Listener = (_req, res) => {
      res.setHeader('Connection', 'keep-alive');
      res.setHeader('Content-Type', 'text/plain');
      res.end(EVENT.repeat(4));
    };
    const { head, body } = await exchange(full(), app);
    expect(head['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(body).toString()).toBe(EVENT.repeat(4));
  });

  it.each([
    ['bare node:http2', undefined],
    ['the full stack', full()],
  ])("fails Transfer-Encoding in the app's own call with %s", async (_name, mw) => {
    let thrown: unknown;
    const app: Listener = (_req, res) => {
      try {
        res.setHeader('Transfer-Encoding', 'chunked');
        res.end(EVENT);
      } catch (err) {
        thrown = err;
        res.removeHeader('Transfer-Encoding');
        res.statusCode = 500;
        res.end();
      }
    };
    const { head } = await exchange(mw, app);
    expect((thrown as { code?: string }).code).toBe('ERR_HTTP2_INVALID_CONNECTION_HEADERS');
    expect(head[':status']).toBe(500);
  });
});
