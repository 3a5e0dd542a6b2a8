import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  explainer,
  MIDDLEWARE_ORDER,
  middlewareKind,
  middlewareKinds,
  tagMiddleware,
} from '@mw/core';
import type { Middleware, NextFunction } from '@mw/core';

/**
 * Composes middleware into one, in a safe order.
 *
 * The collection's own middleware run first, whatever order they are passed in:
 * trusted-host (so no other middleware echoes a forged `Host`), https-redirect, cors
 * (so preflights are answered before anything else runs), gzip, then session (so the
 * `Set-Cookie` it adds is in place before gzip writes the head). Any other middleware
 * follow, in the order given. The result is itself a {@link Middleware} and can be nested: it
 * carries the kinds it holds, so an outer stack ranks it by its outermost member
 * (`stack(cors(), stack(trustedHost(...), httpsRedirect()))` runs trusted-host first).
 *
 * A synchronous throw, `next(err)` or a rejected promise from any of them before it calls
 * `next` reaches the outer `next(err)`; `next('route')` and `next('router')` pass through to
 * Express unchanged. What fails after a middleware handed the request on belongs to the rest of
 * the app, not to the stack: a synchronous throw propagates to whoever called the stack (as if
 * the middleware were mounted directly), and a late rejection is left unhandled for the
 * process's `unhandledRejection` handling, never passed to `next` a second time.
 *
 * @example
 * ```ts
 * app.use(stack(session({ secretKey }), cors({ allowOrigins: ['https://app.example.com'] }),
 *   trustedHost({ allowedHosts: ['example.com'] })));
 * // runs trustedHost, cors, session
 * ```
 * @throws TypeError when an argument is not a function.
 */
export function stack(...middleware: Middleware[]): Middleware {
  middleware.forEach((fn, i) => {
    if (typeof fn !== 'function') {
      throw new TypeError(`@mw/stack: argument ${i + 1} must be a middleware function`);
    }
  });
  const ordered = orderMiddleware(middleware);
  if (explain.enabled) {
    const order = ordered.map(describe);
    explain.decide(undefined, 'order', `runs in order: ${order.join(', ') || '(none)'}`, { order });
  }
  if (ordered.length === 0) {
    return function emptyStack(_req, _res, next) {
      next();
    };
  }
  return tagMiddleware(
    function stackMiddleware(req: IncomingMessage, res: ServerResponse, next: NextFunction) {
      run(ordered, req, res, next);
    },
    ordered.flatMap((fn) => middlewareKinds(fn)),
  );
}

/** `DEBUG=mw:stack` and the `mw:stack` channel: one `order` event per `stack()` call. */
const explain = explainer('stack');

/** `corsMiddleware (cors)`, `auth`, `stackMiddleware (trusted-host+https-redirect)`. */
function describe(fn: Middleware): string {
  const kinds = middlewareKinds(fn);
  const name = fn.name || '<anonymous>';
  return kinds.length === 0 ? name : `${name} (${kinds.join('+')})`;
}

/** The collection's middleware by rank, then the others in the order given (a stable sort). */
export function orderMiddleware(middleware: readonly Middleware[]): Middleware[] {
  const rank = (fn: Middleware): number => {
    const kind = middlewareKind(fn);
    return kind === undefined ? MIDDLEWARE_ORDER.length : MIDDLEWARE_ORDER.indexOf(kind);
  };
  return middleware
    .map((fn, index) => ({ fn, index, rank: rank(fn) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.fn);
}

function run(
  list: readonly Middleware[],
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
): void {
  let index = 0;
  let finished = false;
  const finish = (err?: unknown): void => {
    if (finished) return;
    finished = true;
    if (err) next(err);
    else next();
  };
  const step = (err?: unknown): void => {
    if (finished) return;
    // Express treats a falsy argument as "continue"; anything else ends the stack.
    if (err) return finish(err);
    if (index >= list.length) return finish();
    const fn = list[index++]!;
    // Each middleware gets its own `next`, so calling it twice cannot skip a later one.
    let called = false;
    const layerNext = (layerErr?: unknown): void => {
      if (called) return;
      called = true;
      step(layerErr);
    };
    let result: unknown;
    try {
      result = fn(req, res, layerNext);
    } catch (thrown) {
      // Once `next` was called, the rest of the app ran inside this try: its throw is not ours.
      if (called) throw thrown;
      called = true;
      step(asError(thrown));
      return;
    }
    if (isThenable(result)) {
      result.then(undefined, (reason: unknown) => {
        // After `next` the request belongs to the rest of the app, and the outer `next` may
        // already have answered it: a second `next(err)` would answer twice. Re-raising leaves
        // the rejection unhandled, exactly as when the middleware is mounted without a stack.
        if (called) throw reason;
        called = true;
        step(asError(reason));
      });
    }
  };
  step();
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** A throw or rejection of a falsy value must still stop the chain as an error. */
export function asError(reason: unknown): unknown {
  return reason ? reason : new Error(`@mw/stack: middleware failed with ${String(reason)}`);
}
