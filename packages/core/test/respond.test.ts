import http from 'node:http';
import request from 'supertest';
import {
  MIDDLEWARE_KIND,
  middlewareKind,
  middlewareKinds,
  quoteTarget,
  redirectTarget,
  sendRedirect,
  sendText,
  tagMiddleware,
} from '@mw/core';
import type { MiddlewareKind } from '@mw/core';

describe('sendText(res, status, body, headers)', () => {
  it('answers like Starlette PlainTextResponse', async () => {
    const app = http.createServer((_req, res) =>
      sendText(res, 400, 'Invalid host header', ['Vary', 'Origin']),
    );
    const res = await request(app).get('/');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid host header');
    expect(res.headers['content-length']).toBe('19');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers.vary).toBe('Origin');
  });

  it('replaces, not duplicates, a header the response already had', async () => {
    const app = http.createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.setHeader('X-Kept', 'yes');
      sendText(res, 400, 'no', ['X-Extra', '1']);
    });
    const res = await request(app).get('/');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-kept']).toBe('yes');
    expect(res.headers['x-extra']).toBe('1');
  });

  it('counts Content-Length in bytes', async () => {
    const app = http.createServer((_req, res) => sendText(res, 200, 'Zoë'));
    expect((await request(app).get('/')).headers['content-length']).toBe('4');
  });
});

describe('sendRedirect(res, status, location)', () => {
  it('answers with an empty body, Content-Length 0 and no Content-Type', async () => {
    const app = http.createServer((_req, res) => sendRedirect(res, 307, 'https://example.com/'));
    const res = await request(app).get('/').redirects(0);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('https://example.com/');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['content-type']).toBeUndefined();
  });
});

describe('quoteTarget(target)', () => {
  it.each<[string, string]>([
    ['/', '/'],
    ['/a/b?x=1&y=2#f', '/a/b?x=1&y=2#f'],
    ['/a b', '/a%20b'],
    ['/a%20b?q=%20x&y=1', '/a%20b?q=%20x&y=1'],
    ["/p:@!$&'()*+,;=~_.-", "/p:@!$&'()*+,;=~_.-"],
    ['/"<>\\^`{|}', '/%22%3C%3E%5C%5E%60%7B%7C%7D'],
    // Node hands raw request bytes over as latin1: UTF-8 ü (C3 BC) arrives as two characters.
    ['/\u00c3\u00bc', '/%C3%BC'],
    ['/\u00fc', '/%FC'],
    ['/\u20ac', '/%E2%82%AC'],
  ])('quotes %j as %j', (target, expected) => {
    expect(quoteTarget(target)).toBe(expected);
  });
});

describe('tagMiddleware(fn, kind)', () => {
  it('tags a middleware so middlewareKind() reads it back', () => {
    const fn = tagMiddleware((_req, _res, next) => next(), 'cors');
    expect(middlewareKind(fn)).toBe('cors');
    expect(Object.keys(fn)).toEqual([]);
  });

  it('reads no kind from an untagged or wrongly tagged function', () => {
    const fn = (_req: unknown, _res: unknown, next: () => void) => next();
    expect(middlewareKind(fn)).toBeUndefined();
    Object.defineProperty(fn, MIDDLEWARE_KIND, { value: 'other' });
    expect(middlewareKind(fn)).toBeUndefined();
  });

  it('tags a composition with every kind it holds, outermost first, ranked by the first', () => {
    const fn = tagMiddleware((_req, _res, next) => next(), ['session', 'cors', 'session']);
    expect(middlewareKinds(fn)).toEqual(['cors', 'session']);
    expect(middlewareKind(fn)).toBe('cors');
  });

  it('leaves a function untagged for an empty list and rejects an unknown kind', () => {
    const fn = tagMiddleware((_req, _res, next) => next(), []);
    expect(middlewareKinds(fn)).toEqual([]);
    expect(() => tagMiddleware(fn, ['other' as MiddlewareKind])).toThrow(
      '@mw/core: unknown middleware kind other',
    );
  });
});

describe('redirectTarget(req)', () => {
  const target = (url: string, originalUrl?: string) =>
    redirectTarget({ url, originalUrl } as unknown as http.IncomingMessage);

  it.each<[string, string]>([
    ['/', '/'],
    ['/a%20b?x=1&y=%20', '/a%20b?x=1&y=%20'],
    ['/a b', '/a%20b'],
    ['//evil.com/x', '//evil.com/x'],
    ['http://evil.com/p?q=1', '/p?q=1'],
    ['http://evil.com', '/'],
    ['http://evil.com?q', '/?q'],
    ['*', '/'],
    ['example.com:443', '/'],
    ['@evil.com', '/'],
  ])('turns the request target %j into %j', (url, expected) => {
    expect(target(url)).toBe(expected);
  });

  it('prefers originalUrl, which keeps a mount path the framework stripped', () => {
    expect(target('/x', '/sub/x')).toBe('/sub/x');
  });
});
