import {
  booleanOption,
  formatHost,
  isEncrypted,
  isUpgrade,
  stringArrayOption,
  readOptions,
  rejectUnknownOptions,
  requestHost,
  redirectTarget,
  sendRedirect,
  sendText,
  tagMiddleware,
} from '@mw/core';
import type { Middleware } from '@mw/core';
import { compileHosts, matchesExact, matchesWildcard } from './patterns';

/** Options of {@link trustedHost}. */
export interface TrustedHostOptions {
  /**
   * The hosts this app answers for. Each entry is an exact host (`example.com`, `[::1]`), a
   * subdomain wildcard (`*.example.com`: any depth of subdomain, never the apex `example.com`,
   * never `evilexample.com`) or `'*'` (every well-formed host). A pattern may pin a port
   * (`example.com:8443`); without one any port matches. Compared case-insensitively, with one
   * trailing dot ignored.
   * @default ['*']
   */
  allowedHosts?: readonly string[];
  /**
   * When a bare host is not allowed but its exact `www.` form is (an exact pattern, not a
   * wildcard), answer `307` to the `www.` host, keeping scheme, port, path and query.
   * @default true
   */
  wwwRedirect?: boolean;
}

const PKG = 'trusted-host';
const KNOWN = ['allowedHosts', 'wwwRedirect'] as const;
const INVALID = 'Invalid host header';

/**
 * Starlette's `TrustedHostMiddleware`: rejects requests whose `Host` header is not one of
 * `allowedHosts` with `400 Invalid host header`, so nothing downstream builds a URL, a cache
 * key or a password-reset link from a host an attacker chose.
 *
 * Beyond Starlette 1.7: case-insensitive, one trailing dot ignored, ports may be pinned, and a
 * malformed, missing or repeated `Host` is a 400 even when `'*'` is allowed.
 *
 * @example
 * ```ts
 * app.use(trustedHost({ allowedHosts: ['example.com', '*.example.com'] }));
 * ```
 * @throws TypeError when an option is unknown or invalid, e.g. a misplaced `*`
 * ("Domain wildcard patterns must be like '*.example.com'.") or an unbracketed IPv6 literal.
 */
export function trustedHost(options?: TrustedHostOptions): Middleware {
  const opts = readOptions(PKG, options);
  rejectUnknownOptions(PKG, opts, KNOWN);
  const matcher = compileHosts(stringArrayOption(PKG, 'allowedHosts', opts.allowedHosts, ['*']));
  const wwwRedirect = booleanOption(PKG, 'wwwRedirect', opts.wwwRedirect, true);

  return tagMiddleware(function trustedHostMiddleware(req, res, next) {
    // RFC 9112 section 3.2: a request without exactly one valid Host is a client error.
    const host = requestHost(req);
    if (host === undefined) return sendText(res, 400, INVALID);
    if (matcher.any) return next();
    const { hostname } = host;
    const encrypted = isEncrypted(req);
    // A Host without a port means the scheme's default port (RFC 9110 section 4.2).
    const port = host.port ?? (encrypted ? 443 : 80);
    if (matchesExact(matcher, hostname, port) || matchesWildcard(matcher, hostname, port)) {
      return next();
    }
    // No www redirect on a WebSocket handshake (Starlette's websocket scope): clients do not
    // follow it, so the bare host is simply not allowed.
    if (
      wwwRedirect &&
      !host.ipv6 &&
      !isUpgrade(req) &&
      matchesExact(matcher, `www.${hostname}`, port)
    ) {
      const scheme = encrypted ? 'https' : 'http';
      const authority = formatHost(`www.${hostname}`, host.port);
      return sendRedirect(res, 307, `${scheme}://${authority}${redirectTarget(req)}`);
    }
    sendText(res, 400, INVALID);
  }, 'trusted-host');
}
