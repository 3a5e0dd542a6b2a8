/**
 * @mw/gzip (built) behind Express and the other frameworks frames and finishes a compressed
 * response as Node's own response does (issue 13, points 5 and 6): an app-set
 * `Transfer-Encoding: chunked` never travels with `Content-Length` (RFC 9112 section 6.3; fetch
 * refuses such a response), an app-set transfer coding is not compressed again, and a late
 * `write`/`end` gets what an uncompressed response gives, side by side.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { gzip } from '@mw/gzip';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rawRequest } from '../test-support/http';
import { frameworks, listen } from './support/frameworks';
import type { Framework, Handler } from './support/frameworks';

const TEXT = 'All work and no play makes Jack a dull boy. '.repeat(100);
const GZIP_HEAD = ['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Accept-Encoding: gzip'];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const chunkedEnd: Handler = (_req, res) => {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.end(TEXT);
};

/** Header lines that frame the body, lower-cased. */
const framing = (headers: string[]): string[] =>
  headers.map((h) => h.toLowerCase()).filter((h) => /^(transfer-encoding|content-length):/.test(h));

/** Runs `handler` behind `fw` (with gzip, or alone) and logs what its late calls get. */
async function lateCalls(fw: Framework, withGzip: boolean): Promise<string[]> {
  const log: string[] = [];
  const seen = (what: string) => (err?: unknown) =>
    log.push(`${what}: ${(err as NodeJS.ErrnoException | undefined)?.code ?? 'no error'}`);
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    res.on('error', seen('error event'));
    res.setHeader('Content-Type', 'text/plain');
    res.write(TEXT);
    res.end(seen('end callback'));
    log.push(`late write returns ${String(res.write('late', seen('late write callback')))}`);
    res.end(seen('second end callback'));
    res.once('finish', () => {
      res.end(seen('end after finish callback'));
      setTimeout(done, 20);
    });
  };
  const server = await listen(fw.create(withGzip ? [gzip()] : [], handler));
  try {
    const res = await fetch(server.url, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe(withGzip ? 'gzip' : null);
    expect(await res.text()).toBe(TEXT);
    await finished;
  } finally {
    await server.close();
  }
  return log.sort();
}

describe.each(frameworks)('gzip(options) under $name', (fw) => {
  describe('when the app set Transfer-Encoding: chunked and ended with a body', () => {
    it('sends Transfer-Encoding without Content-Length, as the uncompressed response does', async () => {
      const res = await rawRequest(http.createServer(fw.create([gzip()], chunkedEnd)), GZIP_HEAD);
      const own = await rawRequest(http.createServer(fw.create([], chunkedEnd)), GZIP_HEAD);
      expect(res.header('content-encoding')).toBe('gzip');
      expect(framing(res.headers)).toEqual(['transfer-encoding: chunked']);
      expect(framing(res.headers)).toEqual(framing(own.headers));
    });

    it("is accepted by Node's fetch, which decodes the body", async () => {
      const server = await listen(fw.create([gzip()], chunkedEnd));
      try {
        const res = await fetch(server.url, { headers: { 'accept-encoding': 'gzip' } });
        expect(res.headers.get('content-encoding')).toBe('gzip');
        expect(await res.text()).toBe(TEXT);
      } finally {
        await server.close();
      }
    });
  });

  describe('when the app set a transfer coding of its own', () => {
    it('sends its bytes untouched, not compressed again', async () => {
      const encoded = zlib.gzipSync(randomBytes(4000));
      const handler: Handler = (_req, res) => {
        res.setHeader('Transfer-Encoding', 'gzip, chunked');
        res.end(encoded);
      };
      const res = await rawRequest(http.createServer(fw.create([gzip()], handler)), GZIP_HEAD);
      const own = await rawRequest(http.createServer(fw.create([], handler)), GZIP_HEAD);
      expect(res.header('content-encoding')).toBeUndefined();
      expect(res.header('vary')).toBeUndefined();
      expect(res.body).toBe(own.body);
    });
  });

  describe('when the app writes or ends after res.end() on the compressed path', () => {
    it('gets the callbacks and ERR_STREAM_WRITE_AFTER_END of an uncompressed response', async () => {
      const compressed = await lateCalls(fw, true);
      const plain = await lateCalls(fw, false);
      await sleep(10);
      expect(compressed).toEqual(plain);
      expect(compressed).toContain('late write callback: ERR_STREAM_WRITE_AFTER_END');
      expect(compressed).toContain('error event: ERR_STREAM_WRITE_AFTER_END');
      expect(compressed.filter((l) => l.startsWith('second end callback:'))).toHaveLength(1);
    });
  });
});
