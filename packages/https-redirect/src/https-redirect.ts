import {
  compileTrustProxy,
  formatHost,
  integerOption,
  isUpgrade,
  optionError,
  readOptions,
  rejectUnknownOptions,
  requestView,
  redirectTarget,
  sendRedirect,
  sendText,
  tagMiddleware,
} from '@mw/core';
import { explain, explainBadHost, explainRedirect, explainSecure } from './explain';
import type { Middleware, TrustProxy } from '@mw/core';
import { hstsHeader, setHsts } from './hsts';
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
   * proto=`) and host (`X-Forwarded-Host`), with the forms and meaning of Express's
   * `trust proxy`: `false` trusts none (the socket decides), `true` every hop, a number the `n`
   * hops nearest the server, an address, CIDR range or `'loopback'`/`'linklocal'`/
   * `'uniquelocal'` (a comma-separated string or a list), a function `(address, hop) => boolean`
   * the hops it accepts. Only the exact value `https` (case-insensitively) counts as secure.
   * @default the Express app's `trust proxy` setting inside Express, else `false`
   */
  trustProxy?: TrustProxy;
  /**
   * `Strict-Transport-Security` on responses to secure requests (never over plain HTTP,
   * RFC 6797 section 7.2). `false` sends none; an object takes helmet's defaults for what it
   * leaves out: `{ maxAge: 31536000, includeSubDomains: true, preload: false }`.
   * @default false
   */
  hsts?: false | HstsOptions;
  /**
   * The port written into `Location` when HTTPS listens elsewhere than the plain-HTTP port
   * (`443` is left out). Without it the request's port is kept, `80` dropped.
   * @default none
   */
  httpsPort?: number;
}

const PKG = 'https-redirect';
const KNOWN = ['statusCode', 'trustProxy', 'hsts', 'httpsPort'] as const;
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
  const trust = compileTrustProxy(PKG, 'trustProxy', opts.trustProxy);
  const hsts = hstsHeader(opts.hsts);
  const httpsPort =
    opts.httpsPort === undefined
      ? undefined
      : integerOption(PKG, 'httpsPort', opts.httpsPort, 443, { min: 1, max: 65535 });
  // The port in `Location`: `httpsPort` when given, else the request's; 443 (and, for the
  // request's, 80) are the defaults and left out.
  const locationPort = (port: number | undefined): number | undefined => {
    const chosen = httpsPort ?? port;
    return chosen === 443 || (httpsPort === undefined && chosen === 80) ? undefined : chosen;
  };

  return tagMiddleware(function httpsRedirectMiddleware(req, res, next) {
    let view;
    try {
      // A user's trust function may throw; that is the app's error, not a crash.
      view = requestView(req, trust);
    } catch (err) {
      return next(err);
    }
    if (view.secure) {
      if (explain.enabled) explainSecure(req, hsts);
      if (hsts !== undefined) setHsts(res, hsts);
      return next();
    }
    // Never echo a Host that does not parse: `evil.com/x` became `https://evil.com/x/` in
    // Starlette 0.47 and express-sslify (REFERENCE.md section 4, CVE-2026-48710); nor one that
    // disagrees with the target's authority (RFC 9112 section 3.2.2).
    const { host } = view;
    if (host === undefined) {
      if (explain.enabled) explainBadHost(req);
      return sendText(res, 400, 'Invalid host header');
    }
    const port = locationPort(host.port);
    // A WebSocket handshake on `ws://` goes to `wss://`, as Starlette does for `websocket` scopes.
    const scheme = isUpgrade(req) ? 'wss' : 'https';
    const location = `${scheme}://${formatHost(host.hostname, port)}${redirectTarget(req)}`;
    if (explain.enabled) explainRedirect(req, location, statusCode);
    sendRedirect(res, statusCode, location);
  }, 'https-redirect');
}
