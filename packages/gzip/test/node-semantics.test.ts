/**
 * The compressed path frames and finishes a response as Node's own `ServerResponse` does: an
 * app-set `Transfer-Encoding` is respected (never next to `Content-Length`, RFC 9112 section
 * 6.3; never compressed under another transfer coding), and `write`/`end` after `end()` give
 * Node's own callbacks and errors. Each case runs side by side with the same handler on an
 * uncompressed response (no middleware at all).
 */
import http from 'node:http';
import zlib from 'node:zlib';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { gzip } from '@mw/gzip';
import { rawRequest } from '../../../test-support/http';
import { app, listen, randomBytes, sleep } from './support';

const BODY = 'All work and no play makes Jack a dull boy. '.repeat(50);
const GZIP_HEAD = ['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Accept-Encoding: gzip'];
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The same handler with gzip in front, and alone (Node's own response). */
function sideBySide(handler: Handler): { compressed: RequestListener; plain: RequestListener } {
  return { compressed: app(gzip(), handler), plain: handler };
}

/** The framing headers of a response as sent on the wire, lower-cased. */
function framing(headers: string[]): string[] {
  return headers
    .map((line) => line.toLowerCase())
    .filter((line) => /^(transfer-encoding|content-length):/.test(line));
}

const withoutDate = (headers: string[]): string[] => headers.filter((h) => !/^date:/i.test(h));

/** What an app sees when it writes and ends after `res.end()`, in order. */
async function lateCalls(listener: (handler: Handler) => RequestListener): Promise<string[]> {
  const log: string[] = [];
  const seen = (what: string) => (err?: unknown) => {
    const e = err as NodeJS.ErrnoException | null | undefined;
    log.push(e ? `${what}: ${e.code} ${String(e)}` : `${what}: no error`);
  };
  const finished = new Promise<void>((resolve) => {
    const handler: Handler = (_q, r) => {
      r.on('error', seen('error event'));
      r.write(BODY);
      r.end(seen('end callback'));
      log.push(`late write returns ${String(r.write('late', seen('late write callback')))}`);
      log.push(
        `late end(chunk) returns res: ${String(r.end('late', seen('late end(chunk) callback')) === r)}`,
      );
      r.end(seen('second end callback'));
      r.on('finish', () => {
        log.push('finish');
        r.end(seen('end after finish callback'));
        setTimeout(resolve, 20);
      });
    };
    void listen(listener(handler)).then(async (running) => {
      const res = await fetch(running.url, { headers: { 'accept-encoding': 'gzip' } });
      log.push(
        `client: ${res.headers.get('content-encoding') ?? 'identity'} ${(await res.text()) === BODY}`,
      );
      await finished;
      await running.close();
    });
  });
  await finished;
  await sleep(20);
  return log;
}

describe('gzip(options)', () => {
  describe('when the app writes or ends after res.end() on the compressed path', () => {
    it("gives the app exactly what Node's own response gives it", async () => {
      const compressed = await lateCalls((handler) => app(gzip(), handler));
      const plain = await lateCalls((handler) => handler);
      // The same calls get the same answers; only their order around 'finish' may differ, since
      // the compressor finishes later than a plain response.
      // A second end(cb) gets either answer Node gives, by timing: ERR_STREAM_ALREADY_FINISHED
      // once Node 20 has handed every byte to the socket, no error on 'finish' before that.
      const answers = (log: string[]): string[] =>
        log
          .filter((l) => !l.startsWith('client:'))
          .map((l) => (l.startsWith('second end callback:') ? 'second end callback' : l))
          .sort();
      expect(answers(compressed)).toEqual(answers(plain));
      expect(compressed).toContain('client: gzip true');
      expect(plain).toContain('client: identity true');
      expect(compressed).toContain(
        'late write callback: ERR_STREAM_WRITE_AFTER_END Error [ERR_STREAM_WRITE_AFTER_END]: write after end',
      );
      // Called, with what this Node version gives (Node 20 reports the response as finished
      // already once its bytes are out; Node 24 waits for 'finish').
      const second = compressed.filter((l) => l.startsWith('second end callback:'));
      expect(second).toHaveLength(1);
      expect(second[0]).toMatch(/: (no error|ERR_STREAM_ALREADY_FINISHED )/);
    });
  });

  describe('when the app set Transfer-Encoding: chunked', () => {
    const CASES: [string, Handler][] = [
      [
        'and ended with a single-shot body',
        (_q, r) => {
          r.setHeader('Transfer-Encoding', 'chunked');
          r.end(BODY);
        },
      ],
      [
        'with writeHead, then ended with a single-shot body',
        (_q, r) => {
          r.writeHead(200, { 'Transfer-Encoding': 'chunked', 'Content-Type': 'text/plain' });
          r.end(BODY);
        },
      ],
      [
        'and streamed the body',
        (_q, r) => {
          r.setHeader('Transfer-Encoding', 'chunked');
          r.write(BODY);
          r.end(BODY);
        },
      ],
    ];

    it.each(CASES)(
      '%s: sends Transfer-Encoding alone, never with Content-Length',
      async (_name, handler) => {
        const { compressed, plain } = sideBySide(handler);
        const res = await rawRequest(http.createServer(compressed), GZIP_HEAD);
        const own = await rawRequest(http.createServer(plain), GZIP_HEAD);
        expect(res.header('content-encoding')).toBe('gzip');
        expect(framing(res.headers)).toEqual(['transfer-encoding: chunked']);
        expect(framing(res.headers)).toEqual(framing(own.headers));
      },
    );

    it.each(CASES)('%s: is accepted and decoded by fetch', async (_name, handler) => {
      const running = await listen(app(gzip(), handler));
      try {
        const res = await fetch(running.url, { headers: { 'accept-encoding': 'gzip' } });
        expect(res.headers.get('content-encoding')).toBe('gzip');
        expect(res.headers.get('content-length')).toBeNull();
        const text = await res.text();
        expect(text.startsWith(BODY)).toBe(true);
      } finally {
        await running.close();
      }
    });
  });

  describe('when the app set a transfer coding other than chunked', () => {
    it.each(['gzip, chunked', 'deflate, chunked'])(
      'passes a body sent with Transfer-Encoding: %s through untouched, without Vary',
      async (coding) => {
        // Incompressible, so the transfer-coded body is well above minimumSize.
        const raw = randomBytes(4000);
        const encoded = coding === 'gzip, chunked' ? zlib.gzipSync(raw) : zlib.deflateSync(raw);
        const handler: Handler = (_q, r) => {
          r.setHeader('Transfer-Encoding', coding);
          r.end(encoded);
        };
        const { compressed, plain } = sideBySide(handler);
        const res = await rawRequest(http.createServer(compressed), GZIP_HEAD);
        const own = await rawRequest(http.createServer(plain), GZIP_HEAD);
        expect(res.header('content-encoding')).toBeUndefined();
        expect(res.header('vary')).toBeUndefined();
        expect(withoutDate(res.headers)).toEqual(withoutDate(own.headers));
        expect(res.body).toBe(own.body);
      },
    );
  });
});
