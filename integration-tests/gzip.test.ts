/**
 * @mw/gzip (built) under every framework of the harness: single-shot bodies (including
 * Express's res.send / res.json), piped streams, identity clients, pass-through cases and
 * server-sent events through res.flush().
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { gzip } from '@mw/gzip';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { frameworks, listen } from './support/frameworks';
import type { Handler } from './support/frameworks';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

async function get(
  listener: http.RequestListener,
  path: string,
  headers: Record<string, string> = { 'accept-encoding': 'gzip' },
  method = 'GET',
): Promise<Raw> {
  const server = await listen(listener);
  try {
    return await new Promise<Raw>((resolve, reject) => {
      const url = new URL(path, server.url);
      http
        .request(url, { method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        })
        .on('error', reject)
        .end();
    });
  } finally {
    await server.close();
  }
}

const decode = (res: Raw): string =>
  (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body).toString();

const TEXT = 'All work and no play makes Jack a dull boy. '.repeat(100);
const DATA = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}` })) };

type Express = ServerResponse & {
  send(body: string): void;
  json(body: unknown): void;
  status(code: number): Express;
};

const handler: Handler = (req: IncomingMessage, res: ServerResponse) => {
  const url = req.url ?? '/';
  if (url.startsWith('/send')) return (res as Express).send(TEXT);
  if (url.startsWith('/json')) return (res as Express).json(DATA);
  if (url.startsWith('/small')) return res.end('OK');
  if (url.startsWith('/pipe')) {
    res.setHeader('Content-Type', 'text/plain');
    Readable.from(Array.from({ length: 50 }, (_, i) => `line ${i} ${'-'.repeat(80)}\n`)).pipe(res);
    return;
  }
  if (url.startsWith('/sse')) {
    res.setHeader('Content-Type', 'text/plain');
    let i = 0;
    const send = (): void => {
      res.write(`data: ${i}\n\n`);
      (res as ServerResponse & { flush(): void }).flush();
      if (++i === 3) res.end();
      else setTimeout(send, 100);
    };
    send();
    return;
  }
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(TEXT);
};

describe.each(frameworks)('gzip(options) under $name', (fw) => {
  const listener = fw.create([gzip()], handler);

  it('compresses a single-shot body in one step with an exact Content-Length', async () => {
    const res = await get(listener, '/');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-length']).toBe(String(res.body.length));
    expect(decode(res)).toBe(TEXT);
  });

  it('sends identity with Vary: Accept-Encoding to a client that refuses gzip', async () => {
    const res = await get(listener, '/', { 'accept-encoding': 'gzip;q=0, identity' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(TEXT)));
    expect(res.body.toString()).toBe(TEXT);
  });

  it('leaves a small body untouched, without Vary', async () => {
    const res = await get(listener, '/small');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.headers['content-length']).toBe('2');
    expect(res.body.toString()).toBe('OK');
  });

  it('compresses a piped stream and drops Content-Length', async () => {
    const res = await get(listener, '/pipe');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(decode(res)).toBe(
      Array.from({ length: 50 }, (_, i) => `line ${i} ${'-'.repeat(80)}\n`).join(''),
    );
  });

  it('does not compress a HEAD response', async () => {
    const res = await get(listener, '/', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
  });

  it('delivers flushed events as they are written', async () => {
    const started = Date.now();
    const server = await listen(listener);
    const arrivals: number[] = [];
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${server.url}/sse`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          expect(res.headers['content-encoding']).toBe('gzip');
          const gunzip = zlib.createGunzip();
          gunzip.on('data', () => arrivals.push(Date.now() - started));
          gunzip.on('end', resolve);
          res.pipe(gunzip);
        })
        .on('error', reject);
    });
    await server.close();
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    // The first event arrives long before the last is written (200 ms later).
    expect(arrivals[0]).toBeLessThan(150);
  });

  it('lets a filter send a response uncompressed, without Vary', async () => {
    const filtered = fw.create(
      [gzip({ filter: (req) => req.headers['x-no-compression'] === undefined })],
      handler,
    );
    const plain = await get(filtered, '/pipe', {
      'accept-encoding': 'gzip',
      'x-no-compression': '1',
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBeUndefined();
    expect(decode(plain)).toBe(
      Array.from({ length: 50 }, (_, i) => `line ${i} ${'-'.repeat(80)}\n`).join(''),
    );
    const compressed = await get(filtered, '/');
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(decode(compressed)).toBe(TEXT);
  });

  if (fw.name.startsWith('Express')) {
    it('compresses res.send() and keeps the weak ETag Express made', async () => {
      const res = await get(listener, '/send');
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-length']).toBe(String(res.body.length));
      expect(res.headers.etag).toMatch(/^W\//);
      expect(decode(res)).toBe(TEXT);
    });

    it('compresses res.json()', async () => {
      const res = await get(listener, '/json');
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(decode(res))).toEqual(DATA);
    });

    it('answers 304 to a matching If-None-Match, uncompressed', async () => {
      const first = await get(listener, '/send');
      const res = await get(listener, '/send', {
        'accept-encoding': 'gzip',
        'if-none-match': String(first.headers.etag),
      });
      expect(res.status).toBe(304);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.length).toBe(0);
    });
  }
});
