import type { IncomingMessage, ServerResponse } from 'node:http';
import { clip, requestView, sendText } from '@mw/core';
import type { NextFunction, TrustSetting } from '@mw/core';
import { explain } from './explain';
import { ALLOWED, ASK, compileOriginCheck } from './match';
import type { ResolvedOptions } from './options';
import { parseOrigin } from './origin';

/**
 * Cross-site WebSocket hijacking guard (beyond Starlette, which passes websockets through).
 *
 * CORS does not apply to WebSockets: a page on any site may open `new WebSocket(...)` to this
 * server, and the browser sends the user's cookies with the handshake. Its `Origin` header is
 * the only trace of who asked (RFC 6455 section 10.2), so a handshake is let through only when:
 * - it has no `Origin` (not a browser: a browser always sends one), or
 * - its `Origin` host and port equal the request's own host and port as `@mw/core`'s request
 *   view sees them through `trustProxy` (same-origin; a missing port is the default one of each
 *   side's scheme), or
 * - the cors policy allows the origin *as a credentialed request*: listed exactly, by a
 *   wildcard entry, by `allowOriginRegex` or by `allowOrigin`. `'*'` and `'null'` do not
 *   count, for the reason `allowCredentials: true` refuses them: the handshake carries
 *   cookies. `Origin: null` (sandboxed frames, `data:` pages) is always cross-site.
 * Anything else is answered `403 Disallowed WebSocket origin`, before any later middleware
 * (session) runs.
 */
export function compileHandshakeCheck(
  options: ResolvedOptions,
): (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
  // The same matcher as for HTTP requests, without `'*'` (see above).
  const checkOrigin = compileOriginCheck({
    ...options,
    origins: { ...options.origins, all: false },
  });
  const { predicate, timeout, trust } = options;

  return function checkHandshake(req, res, next) {
    const origin = req.headers.origin;
    if (origin === undefined || sameOrigin(origin, req, trust)) return next();
    const verdict = origin === 'null' ? undefined : checkOrigin(origin);
    if (verdict === ALLOWED) return next();
    if (verdict !== ASK || predicate === undefined) return refuse(req, res, origin);
    let result: boolean | PromiseLike<boolean>;
    try {
      result = predicate(origin, req);
    } catch (err) {
      return next(err);
    }
    // As for HTTP requests: a predicate that has not settled within allowOriginTimeout fails.
    let settled = false;
    const timer = setTimeout(() => settle(new Error(timeoutMessage(timeout))), timeout);
    timer.unref();
    const settle = (err: unknown, ok?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) next(err);
      else if (ok === true) next();
      else refuse(req, res, origin);
    };
    Promise.resolve(result).then(
      (ok) => settle(undefined, ok),
      (err: unknown) => settle(err ?? new Error('@mw/cors: allowOrigin rejected')),
    );
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, origin: string): void {
  if (explain.enabled) {
    explain.decide(
      req,
      'websocket-refused',
      `refused WebSocket origin ${clip(origin)}: cross-site`,
      {
        origin,
      },
    );
  }
  sendText(res, 403, 'Disallowed WebSocket origin');
}

function timeoutMessage(ms: number): string {
  return (
    `@mw/cors: the allowOrigin predicate did not settle within ${ms} ms ` +
    '(option "allowOriginTimeout"); the WebSocket handshake was not accepted'
  );
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, ws: 80, https: 443, wss: 443 };

/** Whether `origin` names the host and port this request was sent to. */
function sameOrigin(origin: string, req: IncomingMessage, trust: TrustSetting): boolean {
  const parsed = parseOrigin(origin);
  if (parsed === undefined) return false;
  const { host, port } = requestView(req, trust);
  if (host === undefined) return false;
  return (
    parsed.hostname === host.hostname && (parsed.port ?? DEFAULT_PORTS[parsed.scheme]) === port
  );
}
