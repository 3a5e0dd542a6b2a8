import type { Middleware } from './types';

/**
 * The collection's own middleware carry a kind tag, so `stack()` can order them safely
 * whatever order they are passed in. `Symbol.for` keeps the tag readable across duplicated
 * copies of `@mw/core` in one dependency tree.
 *
 * A composition (a `stack()` inside a `stack()`) carries every kind it holds, outermost first,
 * so the outer stack ranks it by the outermost one: `stack(cors(), stack(trustedHost(), x))`
 * still runs trusted-host before cors (issue 13 point 2).
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

type Tag = MiddlewareKind | readonly MiddlewareKind[];
type Tagged = Middleware & { [MIDDLEWARE_KIND]?: Tag };

const isKind = (value: unknown): value is MiddlewareKind =>
  MIDDLEWARE_ORDER.includes(value as MiddlewareKind);

/**
 * Tags `fn` with the kind(s) it implements and returns it. A list (what a composition holds) is
 * stored de-duplicated in {@link MIDDLEWARE_ORDER}; an empty list leaves `fn` untagged.
 *
 * @throws TypeError when a kind is not one of {@link MIDDLEWARE_ORDER}.
 */
export function tagMiddleware<F extends Middleware>(fn: F, kind: Tag): F {
  const kinds = typeof kind === 'string' ? [kind] : kind;
  for (const k of kinds) {
    if (!isKind(k)) throw new TypeError(`@mw/core: unknown middleware kind ${String(k)}`);
  }
  if (kinds.length === 0) return fn;
  // A single kind stays a string: older copies of @mw/core read exactly that.
  const value = kinds.length === 1 ? kinds[0] : MIDDLEWARE_ORDER.filter((k) => kinds.includes(k));
  Object.defineProperty(fn, MIDDLEWARE_KIND, { value, enumerable: false });
  return fn;
}

/** Every kind `fn` was tagged with, outermost first (empty when untagged or foreign). */
export function middlewareKinds(fn: Middleware): readonly MiddlewareKind[] {
  const tag = (fn as Tagged)[MIDDLEWARE_KIND];
  if (typeof tag === 'string') return isKind(tag) ? [tag] : [];
  return Array.isArray(tag) ? MIDDLEWARE_ORDER.filter((k) => tag.includes(k)) : [];
}

/** The outermost kind `fn` was tagged with (what `stack()` ranks it by), if any. */
export function middlewareKind(fn: Middleware): MiddlewareKind | undefined {
  return middlewareKinds(fn)[0];
}
