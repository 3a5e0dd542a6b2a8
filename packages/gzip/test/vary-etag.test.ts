/** Vary: Accept-Encoding exactly when eligible, merged via @mw/core; strong ETags weakened. */
import http from 'node:http';
import { gzip } from '@mw/gzip';
import type { ServerResponse } from 'node:http';
import { app, call, listen } from './support';

const BODY = 'v'.repeat(2000);

function withHeaders(headers: Record<string, string | string[]>, body = BODY) {
  return (_q: unknown, res: ServerResponse): void => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(body);
  };
}

describe('gzip(options)', () => {
  describe('Vary', () => {
    it.each([
      ['gzip', 'gzip'],
      ['identity', undefined],
      ['gzip;q=0', undefined],
      ['br', undefined],
    ])(
      'adds Vary: Accept-Encoding to an eligible response for %j (compressed: %j)',
      async (accept, encoding) => {
        const res = await call(app(gzip(), withHeaders({})), {
          headers: { 'accept-encoding': accept },
        });
        expect(res.headers['content-encoding']).toBe(encoding);
        expect(res.headers.vary).toBe('Accept-Encoding');
      },
    );

    it('G24: appends to an app Vary: Origin', async () => {
      const res = await call(app(gzip(), withHeaders({ Vary: 'Origin' })), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers.vary).toBe('Origin, Accept-Encoding');
    });

    it('G25: does not repeat an app Vary: accept-encoding (Starlette duplicates it)', async () => {
      const res = await call(app(gzip(), withHeaders({ Vary: 'accept-encoding' })), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers.vary).toBe('accept-encoding');
    });

    it('keeps both lines of a two-line app Vary and adds Accept-Encoding once', async () => {
      const running = await listen(app(gzip(), withHeaders({ Vary: ['Origin', 'Cookie'] })));
      const raw = await new Promise<string[]>((resolve, reject) => {
        http
          .get(
            { port: running.port, host: '127.0.0.1', headers: { 'accept-encoding': 'gzip' } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.rawHeaders));
            },
          )
          .on('error', reject);
      });
      await running.close();
      const vary = raw.filter((_v, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'vary');
      expect(vary.join(', ')).toBe('Origin, Cookie, Accept-Encoding');
    });

    it('leaves Vary: * alone', async () => {
      const res = await call(app(gzip(), withHeaders({ Vary: '*' })), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers.vary).toBe('*');
    });
  });

  describe('ETag', () => {
    it('weakens a strong ETag when the body is compressed', async () => {
      const res = await call(app(gzip(), withHeaders({ ETag: '"abc"' })), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers.etag).toBe('W/"abc"');
    });

    it('weakens a strong ETag on the stream path too', async () => {
      const res = await call(
        app(gzip(), (_q, r) => {
          r.setHeader('ETag', '"s"');
          r.write(BODY);
          r.end();
        }),
        { headers: { 'accept-encoding': 'gzip' } },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.etag).toBe('W/"s"');
    });

    it('keeps a weak ETag as it is', async () => {
      const res = await call(app(gzip(), withHeaders({ ETag: 'W/"abc"' })), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.headers.etag).toBe('W/"abc"');
    });

    it.each([
      ['identity', 'the client refused compression'],
      ['gzip', 'the body is below minimumSize'],
    ])('keeps a strong ETag when %j is sent and %s', async (accept) => {
      const body = accept === 'gzip' ? 'tiny' : BODY;
      const res = await call(app(gzip(), withHeaders({ ETag: '"abc"' }, body)), {
        headers: { 'accept-encoding': accept },
      });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.etag).toBe('"abc"');
    });
  });
});
