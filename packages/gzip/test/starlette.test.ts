/**
 * Starlette's tests/middleware/test_gzip.py (REFERENCE.md section 3.2), ported to the 1.7
 * profile, plus the edge cases section 2.2 lists (G-numbers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { gzip } from '@mw/gzip';
import type { ServerResponse } from 'node:http';
import { app, call, decode } from './support';

const X4000 = 'x'.repeat(4000);

/** Starlette's PlainTextResponse: Content-Length then a UTF-8 text type. */
function plainText(res: ServerResponse, body: string): void {
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

/** Starlette's StreamingResponse of 10 chunks of 400 × x (no Content-Length). */
function streaming(res: ServerResponse, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  let i = 0;
  const tick = (): void => {
    if (i++ === 10) {
      res.end();
      return;
    }
    res.write('x'.repeat(400));
    setImmediate(tick);
  };
  tick();
}

describe('gzip(options)', () => {
  describe('Starlette test_gzip.py', () => {
    it('GZ-1: compresses a 4000-byte body for "Accept-Encoding: gzip" with an exact Content-Length', async () => {
      const res = await call(
        app(gzip(), (_req, r) => plainText(r, X4000)),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['content-length']).toBe('39');
      expect(res.body.length).toBe(39);
      expect(zlib.gunzipSync(res.body).toString()).toBe(X4000);
    });

    it('GZ-2: sends identity with Vary: Accept-Encoding when the client asks for identity', async () => {
      const res = await call(
        app(gzip(), (_req, r) => plainText(r, X4000)),
        {
          headers: { 'accept-encoding': 'identity' },
        },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['content-length']).toBe('4000');
      expect(res.body.toString()).toBe(X4000);
    });

    it('GZ-3: leaves a body below minimumSize untouched, without Vary', async () => {
      const res = await call(
        app(gzip(), (_req, r) => plainText(r, 'OK')),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.headers['content-length']).toBe('2');
      expect(res.body.toString()).toBe('OK');
    });

    it('GZ-4: compresses a streamed body and drops Content-Length', async () => {
      const res = await call(
        app(gzip(), (_req, r) => streaming(r)),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['content-length']).toBeUndefined();
      expect(zlib.gunzipSync(res.body).toString()).toBe(X4000);
    });

    it('GZ-5: streams identity with Vary: Accept-Encoding when the client asks for identity', async () => {
      const res = await call(
        app(gzip(), (_req, r) => streaming(r)),
        {
          headers: { 'accept-encoding': 'identity' },
        },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.body.toString()).toBe(X4000);
    });

    it('GZ-6: passes a response with Content-Encoding through untouched, without Vary', async () => {
      const res = await call(
        app(gzip(), (_req, r) => streaming(r, { 'Content-Encoding': 'text' })),
        { headers: { 'accept-encoding': 'gzip, text' } },
      );
      expect(res.headers['content-encoding']).toBe('text');
      expect(res.headers.vary).toBeUndefined();
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.body.toString()).toBe(X4000);
    });

    it('GZ-7: does not compress server-sent events (text/event-stream)', async () => {
      const res = await call(
        app(gzip(), (_req, r) => streaming(r, { 'Content-Type': 'text/event-stream' })),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.body.toString()).toBe(X4000);
    });

    describe('GZ-8: pathsend analogue (Node has no ASGI pathsend; the equivalents are piped files)', () => {
      let dir: string;
      beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-gzip-'));
        fs.writeFileSync(path.join(dir, 'file.txt'), 'Hello, world!\n');
        fs.writeFileSync(path.join(dir, 'big.txt.gz'), zlib.gzipSync(X4000));
      });
      afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

      it('forwards a pre-compressed file (Content-Encoding: gzip) byte for byte, without Vary', async () => {
        const file = path.join(dir, 'big.txt.gz');
        const res = await call(
          app(gzip(), (_req, r) => {
            r.setHeader('Content-Type', 'text/plain');
            r.setHeader('Content-Encoding', 'gzip');
            r.setHeader('Content-Length', fs.statSync(file).size);
            fs.createReadStream(file).pipe(r);
          }),
          { headers: { 'accept-encoding': 'gzip, text' } },
        );
        expect(res.body.equals(fs.readFileSync(file))).toBe(true);
        expect(res.headers['content-length']).toBe(String(fs.statSync(file).size));
        expect(res.headers.vary).toBeUndefined();
      });

      it('compresses a piped 14-byte file like any stream (API.md: streamed bodies are eligible whatever their size, as in Starlette, #2003)', async () => {
        const file = path.join(dir, 'file.txt');
        const res = await call(
          app(gzip(), (_req, r) => {
            r.setHeader('Content-Length', 14);
            fs.createReadStream(file).pipe(r);
          }),
          { headers: { 'accept-encoding': 'gzip, text' } },
        );
        expect(res.headers['content-encoding']).toBe('gzip');
        expect(res.headers['content-length']).toBeUndefined();
        expect(res.headers.vary).toBe('Accept-Encoding');
        expect(decode(res).toString()).toBe('Hello, world!\n');
      });
    });
  });

  describe('Starlette 1.7 edge cases', () => {
    it('G27: minimumSize 0 compresses an empty 200 body to a 20-byte gzip', async () => {
      const res = await call(
        app(gzip({ minimumSize: 0 }), (_req, r) => r.end()),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-length']).toBe('20');
      expect(zlib.gunzipSync(res.body).length).toBe(0);
    });

    it('G30: compresses a response without Content-Type', async () => {
      const res = await call(
        app(gzip(), (_req, r) => r.end(X4000)),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(decode(res).toString()).toBe(X4000);
    });

    it('G06: compresses a body of exactly minimumSize bytes', async () => {
      const res = await call(
        app(gzip(), (_req, r) => r.end('y'.repeat(500))),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
    });

    it('G05: leaves a 499-byte body untouched', async () => {
      const res = await call(
        app(gzip(), (_req, r) => r.end('y'.repeat(499))),
        {
          headers: { 'accept-encoding': 'gzip' },
        },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-length']).toBe('499');
    });

    it('G15: compresses a stream whose first chunk is 10 bytes (minimumSize is not applied to streams)', async () => {
      const res = await call(
        app(gzip(), (_req, r) => {
          r.write('0123456789');
          r.end();
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(res.body).toString()).toBe('0123456789');
    });

    it.each([1, 6, 9])(
      'writes a gzip header with MTIME 0 and OS 3 at level %i (Starlette 1.7 #3411)',
      async (level) => {
        const res = await call(
          app(gzip({ compressLevel: level }), (_req, r) => r.end(X4000)),
          {
            headers: { 'accept-encoding': 'gzip' },
          },
        );
        expect([...res.body.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
        expect(res.body.readUInt32LE(4)).toBe(0);
        expect(res.body[9]).toBe(3);
      },
    );

    it('matches Starlette: 4000 × x is 53 bytes at level 1 and 39 at level 6', async () => {
      const sizes = [];
      for (const level of [1, 6]) {
        const res = await call(
          app(gzip({ compressLevel: level }), (_req, r) => r.end(X4000)),
          {
            headers: { 'accept-encoding': 'gzip' },
          },
        );
        sizes.push(res.body.length);
      }
      expect(sizes).toEqual([53, 39]);
    });
  });
});
