/**
 * Compressed responses decoded by Chromium: the SHA-256 the page computes over the decoded
 * body must equal the server's hash of the source bytes, for each encoding, for a single-shot
 * body and a streamed one. Chromium (Debian's, 123 and newer) offers zstd: where Node's zlib has
 * zstd (22.15+) the browser decodes a real zstd response; on Node 20 the same test asserts the
 * fallback to gzip.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';
import { launchChromium, serveHttp } from './helpers';
import type { Served } from './helpers';

type Encoding = NonNullable<GzipOptions['encodings']>[number];

/** ~300 KB of text that compresses, but not trivially (a seeded pseudo-random walk). */
function sourceBody(): Buffer {
  let seed = 42;
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    lines.push(`{"row":${i},"value":${seed},"label":"item-${seed % 977}","ok":${seed % 2 === 0}}`);
  }
  return Buffer.from(`[${lines.join(',\n')}]`, 'utf8');
}

const SOURCE = sourceBody();
const SOURCE_SHA256 = createHash('sha256').update(SOURCE).digest('hex');
const ENCODINGS: readonly Encoding[] = ['gzip', 'br', 'deflate'];
/** The list a zstd-first server allows: zstd where the runtime has it, else gzip. */
const ZSTD_FIRST: readonly Encoding[] = ['zstd', 'gzip'];
const HAS_ZSTD = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';

let browser: Browser;
let page: Page;
const servers = new Map<string, Served>();
/** The Accept-Encoding of every request Chromium made, by URL path. */
const offered = new Map<string, string | undefined>();

beforeAll(async () => {
  browser = await launchChromium();
  const lists = [...ENCODINGS.map((e): readonly Encoding[] => [e]), ZSTD_FIRST];
  for (const encodings of lists) {
    const middleware = gzip({ encodings });
    servers.set(
      encodings.join(','),
      await serveHttp((req, res) => {
        offered.set(req.url ?? '', req.headers['accept-encoding']);
        middleware(req, res, () => {
          if (req.url === '/') {
            res.setHeader('Content-Type', 'text/html; charset=utf-8');
            res.end('<!doctype html><title>gzip</title>');
            return;
          }
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('X-Source-Sha256', SOURCE_SHA256);
          if (req.url === '/single') {
            res.end(SOURCE);
            return;
          }
          // Streamed: many writes, the last one after a tick, as a real generator would.
          const chunks: Buffer[] = [];
          for (let at = 0; at < SOURCE.length; at += 4096) {
            chunks.push(SOURCE.subarray(at, at + 4096));
          }
          const tail = chunks.pop();
          for (const chunk of chunks) res.write(chunk);
          setImmediate(() => res.end(tail));
        });
      }),
    );
  }
  page = await browser.newPage();
});

afterAll(async () => {
  await Promise.all([browser?.close(), ...[...servers.values()].map((s) => s.close())]);
});

interface Decoded {
  status: number;
  contentEncoding: string | null;
  sourceSha256: string | null;
  sha256: string;
  length: number;
  encodedBodySize: number;
}

function fetchAndHash(url: string): Promise<Decoded> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    const bytes = await res.arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const entries = performance.getEntriesByName(u) as unknown as { encodedBodySize: number }[];
    return {
      status: res.status,
      contentEncoding: res.headers.get('Content-Encoding'),
      sourceSha256: res.headers.get('X-Source-Sha256'),
      sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
      length: bytes.byteLength,
      encodedBodySize: entries[entries.length - 1]?.encodedBodySize ?? -1,
    };
  }, url);
}

const KINDS = [
  ['single-shot', 'single'],
  ['streamed', 'stream'],
];

describe('gzip(options) in Chromium', () => {
  describe.each(ENCODINGS)("with encodings: ['%s']", (encoding) => {
    it.each(KINDS)(
      'a %s body is decoded by the browser byte-identical to the source',
      async (_name, kind) => {
        const server = servers.get(encoding);
        if (!server) throw new Error(`no server for ${encoding}`);
        await page.goto(`${server.url}/`);
        const decoded = await fetchAndHash(`${server.url}/${kind}`);
        expect(decoded).toMatchObject({
          status: 200,
          contentEncoding: encoding,
          sourceSha256: SOURCE_SHA256,
          sha256: SOURCE_SHA256,
          length: SOURCE.length,
        });
        // It really travelled compressed.
        expect(decoded.encodedBodySize).toBeGreaterThan(0);
        expect(decoded.encodedBodySize).toBeLessThan(SOURCE.length / 2);
      },
    );
  });

  describe(`with encodings: ['zstd', 'gzip'] on Node ${process.versions.node} (zstd ${HAS_ZSTD ? 'in zlib' : 'absent'})`, () => {
    const expected = HAS_ZSTD ? 'zstd' : 'gzip';

    it('is offered zstd by Chromium', async () => {
      const server = servers.get(ZSTD_FIRST.join(','))!;
      await page.goto(`${server.url}/`);
      expect(offered.get('/')).toMatch(/(^|,)\s*zstd\s*(,|$)/);
    });

    it.each(KINDS)(
      `answers a %s body with ${expected}, decoded by the browser byte-identical`,
      async (_name, kind) => {
        const server = servers.get(ZSTD_FIRST.join(','))!;
        await page.goto(`${server.url}/`);
        const decoded = await fetchAndHash(`${server.url}/${kind}`);
        expect(offered.get(`/${kind}`)).toMatch(/zstd/);
        expect(decoded).toMatchObject({
          status: 200,
          contentEncoding: expected,
          sourceSha256: SOURCE_SHA256,
          sha256: SOURCE_SHA256,
          length: SOURCE.length,
        });
        expect(decoded.encodedBodySize).toBeGreaterThan(0);
        expect(decoded.encodedBodySize).toBeLessThan(SOURCE.length / 2);
      },
    );
  });
});
