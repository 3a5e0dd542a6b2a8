import type { Middleware } from './types';

/**
 * The collection's own middleware carry a kind tag, so `stack()` can order them safely
 * whatever order they are passed in. `Symbol.for` keeps the tag readable across duplicated
 * copies of `@mw/core` in one dependency tree.
 */
export const MIDDLEWARE_KIND = Symbol.for('@mw/core.kind');

/** The kinds `stack()` orders, outermost first. */
export const MIDDLEWARE_ORDER = [
  'trusted-host',
  'https-redirect',
  'cors',
  'gzip',
  'session',
] as const;

export type MiddlewareKind = (typeof MIDDLEWARE_ORDER)[number];

type Tagged = Middleware & { [MIDDLEWARE_KIND]?: MiddlewareKind };

/** Tags `fn` as one of the collection's middleware and returns it. */
export function tagMiddleware<F extends Middleware>(fn: F, kind: MiddlewareKind): F {
  Object.defineProperty(fn, MIDDLEWARE_KIND, { value: kind, enumerable: false });
  return fn;
}

/** The kind `fn` was tagged with, if any. */
export function middlewareKind(fn: Middleware): MiddlewareKind | undefined {
  const kind = (fn as Tagged)[MIDDLEWARE_KIND];
  return kind !== undefined && MIDDLEWARE_ORDER.includes(kind) ? kind : undefined;
}
