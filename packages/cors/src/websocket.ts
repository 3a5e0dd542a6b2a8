import type { IncomingMessage, ServerResponse } from 'node:http';
import { isEncrypted, requestHost, sendText } from '@mw/core';
import type { NextFunction } from '@mw/core';
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
 * - its `Origin` host and port equal the request's own host and port (same-origin; a missing
 *   port is the default one of each side's scheme), or
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
  const { predicate } = options;

  return function checkHandshake(req, res, next) {
    const origin = req.headers.origin;
    if (origin === undefined || sameOrigin(origin, req)) return next();
    const verdict = origin === 'null' ? undefined : checkOrigin(origin);
    if (verdict === ALLOWED) return next();
    if (verdict !== ASK || predicate === undefined) return refuse(res);
    let result: boolean | PromiseLike<boolean>;
    try {
      result = predicate(origin, req);
    } catch (err) {
      return next(err);
    }
    Promise.resolve(result).then((ok) => (ok === true ? next() : refuse(res)), next);
  };
}

function refuse(res: ServerResponse): void {
  sendText(res, 403, 'Disallowed WebSocket origin');
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, ws: 80, https: 443, wss: 443 };

/** Whether `origin` names the host and port this request was sent to. */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  const parsed = parseOrigin(origin);
  if (parsed === undefined) return false;
  const own = requestHost(req);
  if (own === undefined) return false;
  const port = parsed.port ?? DEFAULT_PORTS[parsed.scheme];
  const ownPort = own.port ?? (isEncrypted(req) ? 443 : 80);
  return port !== undefined && parsed.hostname === own.hostname && port === ownPort;
}
