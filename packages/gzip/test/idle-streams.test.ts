/**
 * Streamed responses that sit idle between flushed events (issue 19): the compressor holds no
 * zlib state between events and continues the stream from the last window of sent text, so the
 * client must decode every event, in order, as soon as it is flushed, with gzip, br and deflate,
 * through node:zlib and through curl --compressed.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ServerResponse } from 'node:http';
import { gzip } from '../src/gzip';
import { app, listen, sleep } from './support';

const run = promisify(execFile);
const ENCODINGS = ['gzip', 'br', 'deflate'] as const;
const GAPS = [0, 1, 25, 0, 0, 60, 5, 0, 30, 2];
const mw = gzip({ encodings: [...ENCODINGS], excludeContentTypes: [] });

function event(i: number): string {
  const data = { seq: i, type: i % 3 ? 'quote' : 'trade', symbol: 'ACME', price: 100 + i / 7 };
  return `id: ${i}\ndata: ${JSON.stringify(data)}\n\n`;
}

const flush = (res: ServerResponse): void => (res as ServerResponse & { flush(): void }).flush();

const DECODERS = {
  gzip: () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: () => zlib.createInflate(),
};

describe('gzip(options)', () => {
  describe('when a streamed response is idle between flushed events', () => {
    it.each(ENCODINGS)(
      'delivers each %s event decoded before the next one is written, in order',
      async (encoding) => {
        const received: string[] = [];
        let notify: () => void = () => undefined;
        const arrived = (count: number) =>
          new Promise<void>((resolve) => {
            notify = () => received.length >= count && resolve();
            notify();
          });
        const count = 40;
        const running = await listen(
          app(mw, async (_req, res) => {
            res.setHeader('Content-Type', 'text/event-stream');
            for (let i = 0; i < count; i++) {
              res.write(event(i));
              flush(res);
              // The next event is written only once the client has decoded this one.
              await arrived(i + 1);
              await sleep(GAPS[i % GAPS.length]!);
              // A burst past the 16 KiB threshold now and then goes through a zlib stream.
              if (i === 20) res.write(`: ${'padding '.repeat(4000)}\n\n`);
            }
            res.end();
          }),
        );
        const contentEncoding = await new Promise<string | undefined>((resolve, reject) => {
          http
            .get(
              { port: running.port, host: '127.0.0.1', headers: { 'accept-encoding': encoding } },
              (res) => {
                const decoder = DECODERS[encoding]();
                let text = '';
                decoder.on('data', (chunk: Buffer) => {
                  text += chunk.toString();
                  let end;
                  while ((end = text.indexOf('\n\n')) !== -1) {
                    const frame = text.slice(0, end + 2);
                    text = text.slice(end + 2);
                    if (!frame.startsWith(':')) received.push(frame);
                  }
                  notify();
                });
                decoder.on('end', () => resolve(res.headers['content-encoding']));
                decoder.on('error', reject);
                res.pipe(decoder);
              },
            )
            .on('error', reject);
        });
        await running.close();
        expect(contentEncoding).toBe(encoding);
        expect(received).toEqual(Array.from({ length: count }, (_, i) => event(i)));
      },
    );

    it.each(ENCODINGS)('is decoded by curl --compressed (%s)', async (encoding) => {
      const burst = `: ${'x y z '.repeat(5000)}\n\n`;
      const running = await listen(
        app(mw, async (_req, res) => {
          res.setHeader('Content-Type', 'text/event-stream');
          for (let i = 0; i < 15; i++) {
            res.write(event(i));
            if (i === 7) res.write(burst);
            flush(res);
            await sleep(i % 4 === 0 ? 20 : 0);
          }
          res.end(event(15));
        }),
      );
      const { stdout } = await run('curl', [
        '-sS',
        '--compressed',
        '-H',
        `Accept-Encoding: ${encoding}`,
        '-D',
        '-',
        running.url,
      ]);
      await running.close();
      const [head, body] = [
        stdout.slice(0, stdout.indexOf('\r\n\r\n')),
        stdout.slice(stdout.indexOf('\r\n\r\n') + 4),
      ];
      let expected = '';
      for (let i = 0; i < 15; i++) expected += event(i) + (i === 7 ? burst : '');
      expect(head.toLowerCase()).toContain(`content-encoding: ${encoding}`);
      expect(body).toBe(expected + event(15));
    });
  });
});
