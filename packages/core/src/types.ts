import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The `next` callback of Connect-style middleware. Call it with no argument to continue,
 * or with an error to hand it to the framework's error handler.
 */
export type NextFunction = (err?: unknown) => void;

/**
 * A Connect-style middleware, as Express 4 and 5, Connect, Polka and a hand-written
 * `node:http` dispatcher all call it.
 *
 * @example
 * ```ts
 * const mw: Middleware = (req, res, next) => next();
 * ```
 */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
