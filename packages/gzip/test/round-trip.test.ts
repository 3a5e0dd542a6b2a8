/**
 * Round trips decoded by real clients: Node's fetch (undici), node:zlib over a raw
 * http.request, and curl --compressed. The bytes out must equal the bytes in.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { app, decode, fetchRaw, listen, sampleBytes } from './support';
import type { Running } from './support';

const run = promisify(execFile);
const SIZES = [0, 1, 499, 500, 64 * 1024, 1024 * 1024];
const STREAM_SIZE = 10 * 1024 * 1024;
const UNEVEN = [1, 7, 1000, 65537, 3, 300_001, 16_384, 12_345, 2];
const bodies = new Map(SIZES.map((size) => [size, sampleBytes(size, size + 1)]));
const streamBody = sampleBytes(STREAM_SIZE, 99);

/** `/single/<size>`: one `res.end(body)`; `/stream`: 10 MiB in uneven chunks, with backpressure. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Type', 'application/octet-stream-test');
  const single = /^\/single\/(\d+)$/.exec(req.url ?? '');
  if (single) {
    res.end(bodies.get(Number(single[1])));
    return;
  }
  let offset = 0;
  let turn = 0;
  const pump = (): void => {
    while (offset < streamBody.length) {
      const size = UNEVEN[turn++ % UNEVEN.length]!;
      const chunk = streamBody.subarray(offset, offset + size);
      offset += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

const CONFIGS: [string, GzipOptions][] = [
  ['defaults (gzip)', {}],
  ['encodings br, gzip, deflate', { encodings: ['br', 'gzip', 'deflate'] }],
  ['encodings deflate', { encodings: ['deflate'] }],
];

describe.each(CONFIGS)('gzip(options) with %s', (_name, options) => {
  let server: Running;
  let dir: string;
  beforeAll(async () => {
    server = await listen(app(gzip(options), handler));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-gzip-rt-'));
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const expected = options.encodings?.[0] ?? 'gzip';

  describe.each(SIZES)('a single-shot body of %i bytes', (size) => {
    const body = bodies.get(size)!;
    const encoded = size >= 500;

    it('decodes through Node fetch', async () => {
      const res = await fetch(`${server.url}/single/${size}`, {
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(res.headers.get('content-encoding')).toBe(encoded ? expected : null);
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    });

    it('decodes through node:zlib, with an exact Content-Length up to the sync limit', async () => {
      const res = await fetchRaw(server.port, {
        path: `/single/${size}`,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(res.headers['content-encoding']).toBe(encoded ? expected : undefined);
      if (size <= 128 * 1024) expect(res.headers['content-length']).toBe(String(res.body.length));
      expect(decode(res).equals(body)).toBe(true);
    });

    it('decodes through curl --compressed', async () => {
      const out = path.join(dir, `single-${size}`);
      const { stdout } = await run('/usr/bin/curl', [
        '--compressed',
        '-s',
        '-o',
        out,
        '-w',
        '%header{content-encoding}',
        `${server.url}/single/${size}`,
      ]);
      expect(stdout).toBe(encoded ? expected : '');
      expect(fs.readFileSync(out).equals(body)).toBe(true);
    });
  });

  describe('a 10 MiB stream written in uneven chunks', () => {
    it('decodes through Node fetch', async () => {
      const res = await fetch(`${server.url}/stream`, {
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(res.headers.get('content-encoding')).toBe(expected);
      expect(res.headers.get('content-length')).toBeNull();
      expect(Buffer.from(await res.arrayBuffer()).equals(streamBody)).toBe(true);
    });

    it('decodes through node:zlib', async () => {
      const res = await fetchRaw(server.port, {
        path: '/stream',
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      });
      expect(res.body.length).toBeLessThan(STREAM_SIZE);
      expect(decode(res).equals(streamBody)).toBe(true);
    });

    it('decodes through curl --compressed', async () => {
      const out = path.join(dir, 'stream');
      const { stdout } = await run('/usr/bin/curl', [
        '--compressed',
        '-s',
        '-o',
        out,
        '-w',
        '%header{content-encoding}',
        `${server.url}/stream`,
      ]);
      expect(stdout).toBe(expected);
      expect(fs.readFileSync(out).equals(streamBody)).toBe(true);
    });
  });
});
