/** Responses that are never compressed, and whether each one gets Vary (Starlette 1.7 notion). */
import { gzip } from '@mw/gzip';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { app, call, decode } from './support';

const BODY = 'p'.repeat(2000);
const GZIP = { 'accept-encoding': 'gzip' };

type Setup = (req: IncomingMessage, res: ServerResponse) => void;

const reply =
  (setup: Setup, body: string | undefined = BODY) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    setup(req, res);
    res.end(body);
  };

describe('gzip(options)', () => {
  describe('when the response must not be compressed', () => {
    // [case, setup, request method]
    const CASES: [string, Setup, string][] = [
      ['HEAD request (Starlette compresses it; the contract does not)', () => undefined, 'HEAD'],
      ['204 No Content', (_q, r) => (r.statusCode = 204), 'GET'],
      ['205 Reset Content', (_q, r) => (r.statusCode = 205), 'GET'],
      ['304 Not Modified', (_q, r) => (r.statusCode = 304), 'GET'],
      [
        '206 Partial Content',
        (_q, r) => {
          r.statusCode = 206;
          r.setHeader('Content-Range', 'bytes 0-1999/5000');
        },
        'GET',
      ],
      [
        'a 200 with Content-Range',
        (_q, r) => r.setHeader('Content-Range', 'bytes 0-1999/2000'),
        'GET',
      ],
      [
        'Cache-Control: no-transform',
        (_q, r) => r.setHeader('Cache-Control', 'no-transform'),
        'GET',
      ],
      [
        'Cache-Control: public, No-Transform, max-age=60',
        (_q, r) => r.setHeader('Cache-Control', 'public, No-Transform, max-age=60'),
        'GET',
      ],
      [
        'Cache-Control on two lines, one no-transform',
        (_q, r) => r.setHeader('Cache-Control', ['max-age=60', 'no-transform']),
        'GET',
      ],
      [
        'Content-Encoding: identity set by the app',
        (_q, r) => r.setHeader('Content-Encoding', 'identity'),
        'GET',
      ],
      [
        'Content-Encoding: br set by the app',
        (_q, r) => r.setHeader('Content-Encoding', 'br'),
        'GET',
      ],
    ];

    it.each(CASES)('passes %s through untouched, without Vary', async (_name, setup, method) => {
      const res = await call(app(gzip(), reply(setup)), { method, headers: GZIP });
      expect(res.headers['content-encoding'] ?? 'none').not.toBe('gzip');
      expect(res.headers.vary).toBeUndefined();
      if (method === 'GET' && res.status !== 204 && res.status !== 304) {
        expect(res.body.toString()).toBe(BODY);
      }
    });

    it('keeps the HEAD response head identical to an uncompressed GET (Content-Length not rewritten)', async () => {
      const handler = (_q: IncomingMessage, r: ServerResponse): void => {
        r.setHeader('Content-Length', 2000);
        r.end(_q.method === 'HEAD' ? undefined : BODY);
      };
      const res = await call(app(gzip(), handler), { method: 'HEAD', headers: GZIP });
      expect(res.headers['content-length']).toBe('2000');
      expect(res.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('when the content type is excluded (Starlette 1.7 list)', () => {
    it.each([
      'application/gzip',
      'application/x-gzip',
      'application/zip',
      'audio/mpeg',
      'audio/ogg; codecs=opus',
      'font/woff',
      'font/woff2',
      'image/avif',
      'image/gif',
      'image/jpeg',
      'image/png',
      'image/webp',
      'text/event-stream',
      'text/event-stream; charset=utf-8',
      'Text/Event-Stream',
      ' IMAGE/PNG ',
      'video/mp4',
    ])('passes %j through untouched, without Vary', async (type) => {
      const res = await call(
        app(
          gzip(),
          reply((_q, r) => r.setHeader('Content-Type', type)),
        ),
        {
          headers: GZIP,
        },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.headers['content-length']).toBe('2000');
    });

    it.each([
      'image/svg+xml',
      'text/html',
      'application/json',
      'font/ttf',
      'audiox/y',
      'text/plain',
    ])('still compresses %j (G22)', async (type) => {
      const res = await call(
        app(
          gzip(),
          reply((_q, r) => r.setHeader('Content-Type', type)),
        ),
        {
          headers: GZIP,
        },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(decode(res).toString()).toBe(BODY);
    });

    it('uses the given excludeContentTypes list instead of the default', async () => {
      const mw = gzip({ excludeContentTypes: ['application/json', 'text/*'] });
      const types = ['application/json; charset=utf-8', 'text/html', 'image/png'];
      const encodings = [];
      for (const type of types) {
        const res = await call(
          app(
            mw,
            reply((_q, r) => r.setHeader('Content-Type', type)),
          ),
          {
            headers: GZIP,
          },
        );
        encodings.push(res.headers['content-encoding']);
      }
      expect(encodings).toEqual([undefined, undefined, 'gzip']);
    });
  });

  describe('when the status is not 200', () => {
    it.each([201, 404, 500])('compresses a %i response, as Starlette does', async (status) => {
      const res = await call(
        app(
          gzip(),
          reply((_q, r) => (r.statusCode = status)),
        ),
        {
          headers: GZIP,
        },
      );
      expect(res.status).toBe(status);
      expect(res.headers['content-encoding']).toBe('gzip');
    });
  });

  describe('when the app wrote the head with writeHead before the body', () => {
    it('holds the head back, so writeHead then end(body) is compressed in one step with an exact Content-Length', async () => {
      const res = await call(
        app(gzip(), (_q, r) => {
          r.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY.length });
          r.end(BODY);
        }),
        { headers: GZIP },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(decode(res).toString()).toBe(BODY);
    });

    it('compresses writeHead, write, end as a stream without Content-Length', async () => {
      const res = await call(
        app(gzip(), (_q, r) => {
          r.writeHead(200, 'Fine', { 'Content-Type': 'text/plain', 'Content-Length': BODY.length });
          r.write(BODY.slice(0, 100));
          r.end(BODY.slice(100));
        }),
        { headers: GZIP },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-length']).toBeUndefined();
      expect(decode(res).toString()).toBe(BODY);
    });

    it('sends a held head at once when the app calls flushHeaders()', async () => {
      let seenHeadersSent = false;
      const res = await call(
        app(gzip(), (_q, r) => {
          r.writeHead(200, { 'Content-Type': 'text/plain' });
          r.flushHeaders();
          seenHeadersSent = r.headersSent;
          r.end(BODY);
        }),
        { headers: GZIP },
      );
      expect(seenHeadersSent).toBe(true);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(decode(res).toString()).toBe(BODY);
    });

    it('leaves writeHead then end(body) below minimumSize untouched, without Vary', async () => {
      const res = await call(
        app(gzip(), (_q, r) => {
          r.writeHead(200, { 'Content-Length': 2 });
          r.end('OK');
        }),
        { headers: GZIP },
      );
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.body.toString()).toBe('OK');
    });

    it('keeps a custom status message', async () => {
      const res = await call(
        app(gzip(), (_q, r) => {
          r.statusMessage = 'Fine';
          r.end(BODY);
        }),
        { headers: GZIP },
      );
      expect(res.headers['content-encoding']).toBe('gzip');
    });
  });
});
