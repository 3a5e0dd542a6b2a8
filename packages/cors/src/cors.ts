import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUpgrade, onBeforeHead, tagMiddleware } from '@mw/core';
import type { Middleware, NextFunction } from '@mw/core';
import { clip } from '@mw/core';
import { compileOriginReason, explain } from './explain';
import { ALLOWED, ASK, compileOriginCheck } from './match';
import { resolveOptions } from './options';
import type { AllowOriginFn, CorsOptions } from './options';
import { compilePreflight } from './preflight';
import { compileSimple, varyOrigin } from './simple';
import { compileHandshakeCheck } from './websocket';

/**
 * Starlette's `CORSMiddleware` (1.7) for Express, Connect, Polka and `node:http`.
 *
 * A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here with
 * `200 OK` or `400 Disallowed CORS origin, method, headers, private-network` (the failing parts)
 * and never reaches the app. Any other request runs the app; just before its head is written the
 * response gets the CORS headers its `Origin` earns, and `Vary: Origin` in every case.
 *
 * Every header value is built here, once; the request path only looks values up.
 *
 * @param options - see {@link CorsOptions}; the object is read, never modified.
 * @returns a Connect-style middleware tagged `'cors'` for `@mw/stack`.
 * @throws TypeError `@mw/cors: option "<name>" ...` for an unknown option, a non-array list,
 *   an origin that is not `scheme://host[:port]`, a method or header that is not a token, a
 *   `maxAge` that is not an integer >= 0, an `allowOriginTimeout` that is not an integer from 1 to
 *   2147483647, an invalid regex, `'*'` or `'null'` with `allowCredentials`, or a wildcard with
 *   a single label after `*.` (`https://*.com`).
 * @example
 * ```ts
 * import express from 'express';
 * import { cors } from '@mw/cors';
 *
 * const app = express();
 * app.use(cors({
 *   allowOrigins: ['https://app.example.com', 'https://*.example.com'],
 *   allowMethods: ['GET', 'POST'],
 *   allowHeaders: ['Authorization', 'Content-Type'],
 *   allowCredentials: true,
 * }));
 * ```
 */
export function cors(options?: CorsOptions): Middleware {
  const resolved = resolveOptions(options);
  const checkOrigin = compileOriginCheck(resolved);
  const answerPreflight = compilePreflight(resolved);
  const { plain, reflect } = compileSimple(resolved);
  const { predicate, timeout } = resolved;
  const checkHandshake = compileHandshakeCheck(resolved);
  // With '*' the answer is always `*`; otherwise an allowed origin is named (Starlette's
  // `preflight_explicit_allow_origin`, which '*' + credentials can no longer reach).
  const allowedListener = resolved.origins.all ? plain : reflect;
  const originReason = compileOriginReason(resolved);

  function respond(
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
    origin: string,
    allowed: boolean,
    byPredicate = false,
  ): void {
    let why: string | undefined;
    if (!allowed && explain.enabled) {
      why = byPredicate
        ? `${originReason(origin)}, and allowOrigin did not return true`
        : originReason(origin);
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      answerPreflight(req, res, origin, allowed, why);
      return;
    }
    if (why !== undefined) {
      explain.decide(req, 'origin-refused', `refused origin ${clip(origin)}: ${why}`, { origin });
    } else if (byPredicate && allowed && explain.enabled) {
      explain.decide(req, 'predicate-allowed', `allowOrigin allowed origin ${clip(origin)}`, {
        origin,
      });
    }
    onBeforeHead(res, allowed ? allowedListener : plain);
    next();
  }

  function askPredicate(
    predicate: AllowOriginFn,
    req: IncomingMessage,
    res: ServerResponse,
    next: NextFunction,
    origin: string,
  ): void {
    let result: boolean | PromiseLike<boolean>;
    // The error page the framework sends still depended on Origin: it keeps `Vary: Origin`.
    const fail = (err: unknown, event = 'predicate-error'): void => {
      if (explain.enabled) {
        const text = err instanceof Error ? err.message : String(err);
        explain.decide(req, event, `allowOrigin failed for origin ${clip(origin)}: ${clip(text)}`, {
          origin,
        });
      }
      onBeforeHead(res, varyOrigin);
      next(err);
    };
    try {
      result = predicate(origin, req);
    } catch (err) {
      fail(err);
      return;
    }
    if (!isThenable(result)) {
      respond(req, res, next, origin, result === true, true);
      return;
    }
    // API.md: never leave a request hanging. The timer is unref'd (it never keeps the process
    // alive) and cleared as soon as the predicate settles; whichever comes first wins.
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      fail(predicateTimeout(timeout), 'predicate-timeout');
    }, timeout);
    timer.unref();
    Promise.resolve(result).then(
      (ok) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // A throw from here on would otherwise be an unhandled rejection, which ends the process.
        try {
          respond(req, res, next, origin, ok === true, true);
        } catch (err) {
          next(err);
        }
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fail(err);
      },
    );
  }

  return tagMiddleware(function corsMiddleware(req, res, next) {
    if (isUpgrade(req)) return checkHandshake(req, res, next);
    const origin = req.headers.origin;
    if (origin === undefined) {
      onBeforeHead(res, varyOrigin);
      next();
      return;
    }
    const verdict = checkOrigin(origin);
    if (verdict === ASK && predicate !== undefined) askPredicate(predicate, req, res, next, origin);
    else respond(req, res, next, origin, verdict === ALLOWED);
  }, 'cors');
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** The error `next` gets when `allowOrigin` has not settled within `allowOriginTimeout`. */
function predicateTimeout(ms: number): Error {
  return Object.assign(
    new Error(
      `@mw/cors: the allowOrigin predicate did not settle within ${ms} ms ` +
        '(option "allowOriginTimeout"); the origin counts as not allowed',
    ),
    { code: 'MW_CORS_ALLOW_ORIGIN_TIMEOUT' },
  );
}
