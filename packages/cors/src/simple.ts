import { appendVary, varyFields } from '@mw/core';
import type { HeadListener } from '@mw/core';
import type { ResolvedOptions } from './options';

/** `Vary: Origin`, validated once. */
export const VARY_ORIGIN = varyFields('Origin');

/** Adds only `Vary: Origin` (a request without `Origin`: Starlette 1.7, #3516). */
export function varyOrigin(res: Parameters<HeadListener>[0]): void {
  appendVary(res, VARY_ORIGIN);
}

/** The two head listeners of an actual (non-preflight) request with an `Origin`. */
export interface SimpleListeners {
  /** Starlette's `simple_headers` plus `Vary: Origin`: a wildcard or a refused origin. */
  plain: HeadListener;
  /** The same plus `Access-Control-Allow-Origin: <the request's own Origin>`. */
  reflect: HeadListener;
}

/**
 * Builds the header edits applied just before the app's head is written, as Starlette edits
 * `http.response.start`: they replace any `Access-Control-*` the app set (C20) and merge into
 * the app's `Vary` instead of being overwritten by it (CORS-11..13).
 *
 * As in Starlette 1.7, `Access-Control-Allow-Credentials` and `-Expose-Headers` are sent even when
 * the origin is refused (#2560): without `Access-Control-Allow-Origin` a browser ignores them.
 * The listeners are built once; the reflected origin is read from `res.req`, so a request
 * allocates no closure.
 */
export function compileSimple(options: ResolvedOptions): SimpleListeners {
  const headers: [string, string][] = [];
  if (options.origins.all) headers.push(['Access-Control-Allow-Origin', '*']);
  if (options.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  if (options.expose.length > 0) {
    headers.push(['Access-Control-Expose-Headers', options.expose.join(', ')]);
  }
  return {
    plain(res) {
      for (const [name, value] of headers) res.setHeader(name, value);
      appendVary(res, VARY_ORIGIN);
    },
    reflect(res) {
      for (const [name, value] of headers) res.setHeader(name, value);
      const origin = res.req.headers.origin;
      if (origin !== undefined) res.setHeader('Access-Control-Allow-Origin', origin);
      appendVary(res, VARY_ORIGIN);
    },
  };
}
