import {
  compileTrust,
  formatHost,
  isSecure,
  isUpgrade,
  optionError,
  readOptions,
  rejectUnknownOptions,
  requestHost,
  redirectTarget,
  sendRedirect,
  sendText,
  tagMiddleware,
} from '@mw/core';
import type { Middleware, TrustProxy } from '@mw/core';
import { hstsHeader } from './hsts';
import type { HstsOptions } from './hsts';

/** Options of {@link httpsRedirect}. */
export interface HttpsRedirectOptions {
  /**
   * The redirect status. 307 and 308 keep the method and body; 301 and 308 are cached by
   * browsers without an expiry, so start with 307 and move to 308 once HTTPS works.
   * @default 307 (as Starlette)
   */
  statusCode?: 301 | 302 | 307 | 308;
  /**
   * Which proxies to believe about the client's protocol (`X-Forwarded-Proto`, or `Forwarded:
   * proto=`), with the meaning of Express's `trust proxy`: `false` trusts none (the socket
   * decides), `true` every hop, a number the `n` hops nearest the server, a function
   * `(address, hop) => boolean` the hops it accepts. Only the exact value `https`
   * (case-insensitively) counts as secure.
   * @default false
   */
  trustProxy?: TrustProxy;
  /**
   * `Strict-Transport-Security` on responses to secure requests (never over plain HTTP,
   * RFC 6797 section 7.2). `false` sends none; an object takes helmet's defaults for what it
   * leaves out: `{ maxAge: 31536000, includeSubDomains: true, preload: false }`.
   * @default false
   */
  hsts?: false | HstsOptions;
}

const PKG = 'https-redirect';
const KNOWN = ['statusCode', 'trustProxy', 'hsts'] as const;
const STATUSES: readonly number[] = [301, 302, 307, 308];

/**
 * Starlette's `HTTPSRedirectMiddleware`: answers a plain-HTTP request with a redirect to the
 * same URL over `https://`, path and query kept byte for byte, port 80 or 443 dropped.
 *
 * Beyond Starlette 1.7: a configurable status, proxy trust, HSTS on secure responses, IPv6 kept
 * bracketed, and a malformed or missing `Host` answered `400 Invalid host header` instead of a
 * `Location` an attacker shaped. Put `trustedHost` before it (`stack()` does) so the host in
 * `Location` is one you allow.
 *
 * @example
 * ```ts
 * app.use(httpsRedirect({ statusCode: 308, trustProxy: 1, hsts: { maxAge: 63072000 } }));
 * ```
 * @throws TypeError when an option is unknown or invalid.
 */
export function httpsRedirect(options?: HttpsRedirectOptions): Middleware {
  const opts = readOptions(PKG, options);
  rejectUnknownOptions(PKG, opts, KNOWN);
  const statusCode: unknown = opts.statusCode === undefined ? 307 : opts.statusCode;
  if (typeof statusCode !== 'number' || !STATUSES.includes(statusCode)) {
    throw optionError(PKG, 'statusCode', 'must be one of 301, 302, 307 or 308');
  }
  const trust = compileTrust(PKG, 'trustProxy', opts.trustProxy);
  const hsts = hstsHeader(opts.hsts);

  return tagMiddleware(function httpsRedirectMiddleware(req, res, next) {
    let secure: boolean;
    try {
      // A user's trust function may throw; that is the app's error, not a crash.
      secure = isSecure(req, trust);
    } catch (err) {
      return next(err);
    }
    if (secure) {
      if (hsts !== undefined) res.setHeader('Strict-Transport-Security', hsts);
      return next();
    }
    // Never echo a Host that does not parse: `evil.com/x` became `https://evil.com/x/` in
    // Starlette 0.47 and express-sslify (REFERENCE.md section 4, CVE-2026-48710).
    const host = requestHost(req);
    if (host === undefined) return sendText(res, 400, 'Invalid host header');
    const port = host.port === 80 || host.port === 443 ? undefined : host.port;
    // A WebSocket handshake on `ws://` goes to `wss://`, as Starlette does for `websocket` scopes.
    const scheme = isUpgrade(req) ? 'wss' : 'https';
    const location = `${scheme}://${formatHost(host.hostname, port)}${redirectTarget(req)}`;
    sendRedirect(res, statusCode, location);
  }, 'https-redirect');
}
