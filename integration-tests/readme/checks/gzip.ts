/** @mw/gzip README examples (each a program listening on PORT). */
import http from 'node:http';
import zlib from 'node:zlib';
import type { Checks, Client, ExampleCheck } from '../support';

/** zstd where this Node's zlib has it (22.15+); the examples list it first. */
const HAS_ZSTD = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';

function unzstd(app: Client, path: string): Promise<{ encoding: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: 'localhost',
          port: app.port,
          path,
          headers: { 'Accept-Encoding': 'zstd, br, gzip' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const decode = (zlib as unknown as { zstdDecompressSync?(b: Buffer): Buffer })
              .zstdDecompressSync;
            const encoding = res.headers['content-encoding'];
            const body =
              encoding === 'zstd' && decode ? decode(raw) : zlib.brotliDecompressSync(raw);
            resolve({ encoding, body: body.toString() });
          });
        },
      )
      .on('error', reject);
  });
}

/** Reads an endless event stream until one gzip-compressed event has arrived. */
function firstEvent(app: Client, path: string): Promise<{ encoding: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: 'localhost', port: app.port, path, headers: { 'Accept-Encoding': 'gzip' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
          const text = zlib.gunzipSync(Buffer.concat(chunks), sync).toString();
          if (text.includes('\n\n')) {
            req.destroy();
            resolve({ encoding: res.headers['content-encoding'], text });
          }
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`${path}: no event in 10 s`)));
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
}

const expressExample: ExampleCheck = {
  kind: 'program',
  async check(app) {
    const items = await app.request('/api/items', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(items.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(items.body)).toHaveLength(100);
    expect(items.wireBytes).toBeLessThan(items.body.length / 2);
    const ping = await app.request('/api/ping', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(ping.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(ping.body)).toEqual({ ok: true });
  },
};

const TEXT = 'Hello, compressed world! '.repeat(100);

export const checks: Checks = {
  'examples/readme/gzip/express.ts': expressExample,
  'examples/readme/gzip/express.cjs': expressExample,
  'examples/readme/gzip/node-http.ts': {
    kind: 'program',
    async check(app) {
      const res = await unzstd(app, '/');
      expect(res.encoding).toBe(HAS_ZSTD ? 'zstd' : 'br');
      expect(JSON.parse(res.body)).toEqual({ hello: 'world'.repeat(200) });
    },
  },
  'examples/readme/gzip/events.ts': {
    kind: 'program',
    async check(app) {
      const started = Date.now();
      const res = await firstEvent(app, '/events');
      // The first event arrives at once (flushed), not with the next one a second later.
      expect(Date.now() - started).toBeLessThan(900);
      expect(res.encoding).toBe('gzip');
      expect(res.text).toMatch(/^data: \{"now":\d+\}\n\n$/);
    },
  },
  'examples/readme/gzip/encodings.ts': {
    kind: 'program',
    async check(app) {
      const br = await app.request('/', { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect([br.headers['content-encoding'], br.body]).toEqual(['br', TEXT]);
      const gz = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
      expect([gz.headers['content-encoding'], gz.body]).toEqual(['gzip', TEXT]);
      const best = await unzstd(app, '/');
      expect([best.encoding, best.body]).toEqual([HAS_ZSTD ? 'zstd' : 'br', TEXT]);
    },
  },
  'examples/readme/gzip/stream.ts': {
    kind: 'program',
    async check(app) {
      const res = await app.request('/report.csv', { headers: { 'Accept-Encoding': 'gzip' } });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.body.split('\n')).toHaveLength(10_002);
    },
  },
  'examples/readme/gzip/filter.ts': {
    kind: 'program',
    async check(app) {
      const plain = await app.request('/', {
        headers: { 'Accept-Encoding': 'gzip', 'X-No-Compression': '1' },
      });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBeUndefined();
      expect(plain.body).toBe(TEXT);
      const gz = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
      expect([gz.headers['content-encoding'], gz.body]).toEqual(['gzip', TEXT]);
    },
  },
};
