import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import type { Middleware, NextFunction } from '@mw/core';
import { middlewareKinds } from '@mw/core';
import { orderMiddleware, stack } from '@mw/stack';
import { tracer } from '../../../test-support/tracer';

/** Serves `mw` with a hand-written `next` that reports errors as 500 `error: <message>`. */
function serve(mw: Middleware) {
  return http.createServer((req, res) => {
    mw(req, res, (err?: unknown) => {
      if (err) {
        res.statusCode = 500;
        res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.end('app');
      }
    });
  });
}

describe('stack(...middleware)', () => {
  describe('ordering', () => {
    it('runs the collection in its safe order whatever order they are passed in', async () => {
      const mw = stack(
        tracer('session', 'session'),
        tracer('gzip', 'gzip'),
        tracer('cors', 'cors'),
        tracer('https-redirect', 'https-redirect'),
        tracer('trusted-host', 'trusted-host'),
      );
      const res = await request(serve(mw)).get('/');
      expect(res.headers['x-trace']).toBe('trusted-host,https-redirect,cors,gzip,session');
    });

    it('runs other middleware after the collection, in the order given', async () => {
      const mw = stack(
        tracer('a'),
        tracer('cors', 'cors'),
        tracer('b'),
        tracer('th', 'trusted-host'),
      );
      const res = await request(serve(mw)).get('/');
      expect(res.headers['x-trace']).toBe('th,cors,a,b');
    });

    it('keeps duplicates of one kind in the order given', () => {
      const first = tracer('1', 'cors');
      const second = tracer('2', 'cors');
      expect(orderMiddleware([second, tracer('x'), first])).toEqual([
        second,
        first,
        expect.any(Function),
      ]);
    });

    it("does not reorder the caller's arguments array", () => {
      const list = [tracer('s', 'session'), tracer('c', 'cors')];
      const copy = [...list];
      orderMiddleware(list);
      expect(list).toEqual(copy);
    });
  });

  describe('when a middleware fails', () => {
    it.each<[string, Middleware]>([
      [
        'throws synchronously',
        () => {
          throw new Error('boom');
        },
      ],
      ['calls next(err)', (_q, _s, next) => next(new Error('boom'))],
      [
        'returns a rejected promise',
        (async () => {
          throw new Error('boom');
        }) as unknown as Middleware,
      ],
    ])('passes the error to the outer next when one %s', async (_name, failing) => {
      const after = jest.fn<void, [IncomingMessage, ServerResponse, NextFunction]>((_q, _s, n) =>
        n(),
      );
      const res = await request(serve(stack(tracer('a'), failing, after))).get('/');
      expect(res.status).toBe(500);
      expect(res.text).toBe('error: boom');
      expect(after).not.toHaveBeenCalled();
    });

    it('turns a throw of a falsy value into an Error', async () => {
      const res = await request(
        serve(
          stack((() => {
            throw undefined;
          }) as Middleware),
        ),
      ).get('/');
      expect(res.status).toBe(500);
      expect(res.text).toBe('error: @mw/stack: middleware failed with undefined');
    });

    it('calls the outer next once and lets its own throw reach the caller', () => {
      const outer = jest.fn(() => {
        throw new Error('outer failed');
      });
      const mw = stack(tracer('a'), (_q, _s, next) => next());
      const res = {
        getHeader: () => undefined,
        setHeader: () => undefined,
      } as unknown as ServerResponse;
      expect(() => mw({} as IncomingMessage, res, outer)).toThrow('outer failed');
      expect(outer).toHaveBeenCalledTimes(1);
    });

    it('ignores a second call of next from the same middleware', async () => {
      const app = jest.fn();
      const twice: Middleware = (_q, _s, next) => {
        next();
        next();
      };
      const mw = stack(twice, (_q, _s, next) => {
        app();
        next();
      });
      await request(serve(mw)).get('/');
      expect(app).toHaveBeenCalledTimes(1);
    });
  });

  it.each(['route', 'router'])('passes next(%j) through to the outer next', async (signal) => {
    const outer = jest.fn();
    const mw = stack((_q, _s, next) => next(signal), tracer('never'));
    mw({} as IncomingMessage, {} as ServerResponse, outer);
    expect(outer).toHaveBeenCalledWith(signal);
  });

  it('treats a falsy next argument as "continue", as Express does', async () => {
    const res = await request(
      serve(
        stack(
          (_q, _s, next) => next(null),
          (_q, _s, next) => next(false),
          tracer('end'),
        ),
      ),
    ).get('/');
    expect(res.headers['x-trace']).toBe('end');
    expect(res.text).toBe('app');
  });

  describe('when stacks are nested', () => {
    it('ranks the inner stack by its outermost member', async () => {
      const inner = stack(tracer('cors', 'cors'), tracer('in'));
      const res = await request(
        serve(stack(tracer('out'), inner, tracer('th', 'trusted-host'))),
      ).get('/');
      expect(res.headers['x-trace']).toBe('th,cors,in,out');
    });

    it('runs an inner trusted-host before an outer cors', async () => {
      const inner = stack(tracer('hr', 'https-redirect'), tracer('th', 'trusted-host'));
      const res = await request(serve(stack(tracer('cors', 'cors'), inner))).get('/');
      expect(res.headers['x-trace']).toBe('th,hr,cors');
    });

    it('tags the composed stack with every kind it holds, outermost first', () => {
      const inner = stack(tracer('s', 'session'), tracer('x'), tracer('c', 'cors'));
      expect(middlewareKinds(inner)).toEqual(['cors', 'session']);
      expect(middlewareKinds(stack(tracer('g', 'gzip'), inner))).toEqual([
        'cors',
        'gzip',
        'session',
      ]);
    });

    it('leaves a stack of foreign middleware untagged, so it keeps its place', () => {
      expect(middlewareKinds(stack(tracer('x'), tracer('y')))).toEqual([]);
    });
  });

  it('is a no-op with zero middleware', async () => {
    const res = await request(serve(stack())).get('/');
    expect(res.text).toBe('app');
  });

  it.each([[undefined], ['cors'], [{}]])('rejects the non-function argument %j', (bad) => {
    expect(() => stack(tracer('a'), bad as unknown as Middleware)).toThrow(
      '@mw/stack: argument 2 must be a middleware function',
    );
  });

  it('does not run later middleware once one has answered the request', async () => {
    const later = jest.fn();
    const answer: Middleware = (_q, res) => res.end('answered');
    const res = await request(serve(stack(answer, later))).get('/');
    expect(res.text).toBe('answered');
    expect(later).not.toHaveBeenCalled();
  });
});

describe('stack(...middleware) on the mw:stack diagnostics channel', () => {
  it('publishes the order it settled on, once, at construction', () => {
    const seen: unknown[] = [];
    const onMessage = (message: unknown) => seen.push(message);
    subscribe('mw:stack', onMessage);
    let mw: Middleware;
    try {
      const auth: Middleware = function auth(_q, _s, next) {
        next();
      };
      mw = stack(
        auth,
        tracer('c', 'cors'),
        stack(tracer('h', 'https-redirect'), tracer('t', 'trusted-host')),
      );
    } finally {
      unsubscribe('mw:stack', onMessage);
    }
    expect(seen).toEqual([
      {
        package: 'stack',
        event: 'order',
        reason: 'runs in order: fn (trusted-host), fn (https-redirect)',
        order: ['fn (trusted-host)', 'fn (https-redirect)'],
      },
      {
        package: 'stack',
        event: 'order',
        reason: 'runs in order: stackMiddleware (trusted-host+https-redirect), fn (cors), auth',
        order: ['stackMiddleware (trusted-host+https-redirect)', 'fn (cors)', 'auth'],
      },
    ]);
    expect(typeof mw).toBe('function');
  });
});
