/** The `filter` option: a per-response decision, as compression's `filter` (API.md additions). */
import { gzip } from '@mw/gzip';
import type { GzipFilter } from '@mw/gzip';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { app, call, decode } from './support';

const BODY = 'f'.repeat(2000);
const GZIP = { 'accept-encoding': 'gzip' };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const single: Handler = (_q, r) => {
  r.setHeader('Content-Type', 'text/plain');
  r.end(BODY);
};
const streamed: Handler = (_q, r) => {
  r.setHeader('Content-Type', 'text/plain');
  r.write(BODY.slice(0, 1000));
  r.end(BODY.slice(1000));
};

describe('gzip({ filter })', () => {
  describe.each([
    ['a single-shot body', single],
    ['a streamed body', streamed],
  ])('with %s', (_name, handler) => {
    it('sends the response uncompressed and without Vary when the filter returns false', async () => {
      const res = await call(app(gzip({ filter: () => false }), handler), { headers: GZIP });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.body.toString()).toBe(BODY);
    });

    it('compresses as usual when the filter returns true', async () => {
      const res = await call(app(gzip({ filter: () => true }), handler), { headers: GZIP });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(decode(res).toString()).toBe(BODY);
    });
  });

  it('keeps the exact Content-Length of a filtered single-shot body', async () => {
    const res = await call(app(gzip({ filter: () => false }), single), { headers: GZIP });
    expect(res.headers['content-length']).toBe(String(BODY.length));
  });

  it('is called once per response, with the request and the response and its headers', async () => {
    const calls: [string | undefined, unknown, string | undefined][] = [];
    const filter: GzipFilter = (req, res) => {
      calls.push([
        req.url,
        res.getHeader('content-type'),
        req.headers['x-no-compression'] as string,
      ]);
      return req.headers['x-no-compression'] === undefined;
    };
    const listener = app(gzip({ filter }), single);
    const plain = await call(listener, {
      path: '/a',
      headers: { ...GZIP, 'x-no-compression': '1' },
    });
    const compressed = await call(listener, { path: '/b', headers: GZIP });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(calls).toEqual([
      ['/a', 'text/plain', '1'],
      ['/b', 'text/plain', undefined],
    ]);
  });

  it('treats any falsy return as false, as compression does', async () => {
    const filter = (() => undefined) as unknown as GzipFilter;
    const res = await call(app(gzip({ filter }), single), { headers: GZIP });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
  });

  it.each<[string, Handler, string]>([
    ['a HEAD request', single, 'HEAD'],
    ['a body below minimumSize', (_q, r) => r.end('small'), 'GET'],
    [
      'an excluded type',
      (_q, r) => {
        r.setHeader('Content-Type', 'image/png');
        r.end(BODY);
      },
      'GET',
    ],
  ])('is not consulted for %s, which the built-in rules never compress', async (_n, h, method) => {
    let called = 0;
    await call(
      app(
        gzip({
          filter: () => {
            called++;
            return true;
          },
        }),
        h,
      ),
      { method, headers: GZIP },
    );
    expect(called).toBe(0);
  });
});
