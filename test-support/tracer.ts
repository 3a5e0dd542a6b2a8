import { tagMiddleware } from '@mw/core';
import type { Middleware, MiddlewareKind } from '@mw/core';

/**
 * A middleware that appends `name` to the response's `X-Trace` header, tagged like the
 * collection's package it stands for, so a test can read the order `stack()` ran things in.
 */
export function tracer(name: string, kind?: MiddlewareKind): Middleware {
  const fn: Middleware = (_req, res, next) => {
    const trace = res.getHeader('X-Trace');
    res.setHeader('X-Trace', trace ? `${String(trace)},${name}` : name);
    next();
  };
  return kind ? tagMiddleware(fn, kind) : fn;
}
