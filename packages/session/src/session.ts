import type { IncomingMessage } from 'node:http';
import { tagMiddleware } from '@mw/core';
import type { Middleware } from '@mw/core';
import { resolveOptions } from './options';
import type { SessionOptions } from './options';
import { REQUEST_STATE, RequestState } from './state';
import { StoreState } from './store-state';
import type { Session, SessionData } from './types';

type SessionRequest = IncomingMessage & { [REQUEST_STATE]: RequestState | StoreState };

/**
 * One accessor pair shared by every request: `req.session` reads and writes the request's
 * state, so setting up a request costs one small object and no closures.
 */
const SESSION_PROPERTY: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: SessionRequest): Session {
    return this[REQUEST_STATE].get();
  },
  set(this: SessionRequest, value: SessionData | null | undefined) {
    this[REQUEST_STATE].set(value);
  },
};

/**
 * Signed cookie sessions, as Starlette's `SessionMiddleware` (1.7) writes them: `req.session`
 * is an object of JSON values kept in an itsdangerous-signed cookie, so a Node service and a
 * Starlette/FastAPI service sharing the secret read each other's sessions.
 *
 * The cookie is parsed the first time `req.session` is touched, and written just before the
 * response head only when the session changed (nested changes included), with `Vary: Cookie`
 * whenever the session was read. A tampered, expired or foreign cookie gives an empty session.
 * `req.session.regenerate(cb)`, `save(cb)` and `destroy(cb)` exist for passport. A session
 * that would not fit the 4096-byte cookie limit is not sent: `save(cb)` receives the error,
 * otherwise `onError` does, and the client's previous cookie stays valid.
 *
 * The data is signed, not encrypted: the client can read it.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { session } from '@mw/session';
 *
 * const app = express();
 * app.use(session({ secretKey: process.env.SESSION_SECRET! }));
 * app.get('/', (req, res) => {
 *   const views = ((req.session.views as number | undefined) ?? 0) + 1;
 *   req.session.views = views;
 *   res.send(`views: ${views}`);
 * });
 * ```
 * @throws TypeError when `secretKey` is missing or empty, `sameSite: 'none'` or `partitioned`
 * lacks `httpsOnly`, the cookie name, path or domain is not valid under RFC 6265, `maxAge` is
 * not an integer or `null`, or an option is unknown or of the wrong type.
 */
export function session(options: SessionOptions): Middleware {
  const config = resolveOptions(options);
  const { name, eager, store } = config;
  return tagMiddleware(function sessionMiddleware(req, res, next) {
    const state = store
      ? new StoreState(config, req, res, next)
      : new RequestState(config, req, res);
    try {
      (req as SessionRequest)[REQUEST_STATE] = state;
      Object.defineProperty(req, 'session', SESSION_PROPERTY);
    } catch (err) {
      next(err); // another middleware made req.session non-configurable
      return;
    }
    if (state instanceof StoreState) {
      state.start(); // loads the stored session, then calls next
      return;
    }
    // Rolling and key rotation may re-issue a cookie nobody touched, so look at it anyway.
    if (eager && req.headers.cookie?.includes(name)) state.hook();
    next();
  }, 'session');
}
