/** Accept-Encoding negotiation per RFC 9110 section 12.5.3 (Beyond Starlette). */
import zlib from 'node:zlib';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';
import { app, decode, fetchRaw, listen } from './support';
import type { Running } from './support';

const BODY = 'negotiate me '.repeat(100);
type Encodings = GzipOptions['encodings'];

const ALL: Encodings = ['gzip', 'br', 'deflate'];

// [Accept-Encoding (undefined = header absent), encodings option, expected Content-Encoding]
const TABLE: [string | undefined, Encodings, string | undefined][] = [
  ['gzip', undefined, 'gzip'],
  ['GZIP', undefined, 'gzip'],
  ['x-gzip', undefined, 'gzip'],
  ['X-GZip;q=0.5', undefined, 'gzip'],
  ['gzip;q=0', undefined, undefined],
  ['gzip;Q=0.000', undefined, undefined],
  ['gzip;q=0.001', undefined, 'gzip'],
  ['gzip;q=1.5', undefined, undefined],
  ['*', undefined, 'gzip'],
  ['*;q=0', undefined, undefined],
  ['*;q=0, gzip', undefined, 'gzip'],
  ['identity', undefined, undefined],
  ['identity;q=0', undefined, undefined],
  ['identity;q=0, *;q=0', undefined, undefined],
  ['gzip;q=0.5, identity', undefined, undefined],
  ['gzip, identity;q=0.5', undefined, 'gzip'],
  ['', undefined, undefined],
  [undefined, undefined, undefined],
  [' ,, gzip ,', undefined, 'gzip'],
  ['deflate, br', undefined, undefined],
  ['br, gzip, deflate', undefined, 'gzip'],
  ['br, gzip, deflate', ['br', 'gzip'], 'br'],
  ['br, gzip, deflate', ['deflate', 'gzip', 'br'], 'deflate'],
  ['gzip;q=0.5, br;q=0.8', ALL, 'br'],
  ['gzip;q=0.8, br;q=0.5', ['br', 'gzip'], 'gzip'],
  ['gzip, br', ALL, 'gzip'],
  ['br, gzip', ALL, 'gzip'],
  ['deflate', ALL, 'deflate'],
  ['*', ['br', 'gzip'], 'br'],
  ['*, gzip;q=0', ALL, 'br'],
  ['*;q=0.1, br;q=0.2', ALL, 'br'],
  ['x-gzip;q=0.9, br;q=0.9', ['br', 'gzip'], 'br'],
  ['zstd', ['zstd', 'gzip'], 'createZstdCompress' in zlib ? 'zstd' : undefined],
];

describe('gzip(options)', () => {
  describe('when negotiating Accept-Encoding', () => {
    const servers = new Map<string, Running>();
    afterAll(async () => {
      for (const s of servers.values()) await s.close();
    });
    async function serverFor(encodings: Encodings): Promise<Running> {
      const key = JSON.stringify(encodings ?? null);
      let running = servers.get(key);
      if (!running) {
        running = await listen(app(gzip({ encodings }), (_req, res) => res.end(BODY)));
        servers.set(key, running);
      }
      return running;
    }

    it.each(TABLE)(
      'answers %j (encodings %j) with Content-Encoding %j',
      async (accept, encodings, expected) => {
        const { port } = await serverFor(encodings);
        const headers: Record<string, string> =
          accept === undefined ? {} : { 'accept-encoding': accept };
        const res = await fetchRaw(port, { headers });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(expected);
        // Every answer here was eligible, so each one varies on Accept-Encoding.
        expect(res.headers.vary).toBe('Accept-Encoding');
        expect(decode(res).toString()).toBe(BODY);
        expect(res.headers['content-length']).toBe(String(res.body.length));
      },
    );
  });
});
