import {
  booleanOption,
  compileTrustProxy,
  formatHost,
  isUpgrade,
  stringArrayOption,
  readOptions,
  rejectUnknownOptions,
  requestView,
  redirectTarget,
  sendRedirect,
  sendText,
  tagMiddleware,
} from '@mw/core';
import type { Middleware, ParsedHost, TrustProxy } from '@mw/core';
import { explain, explainRedirect, explainRefusal } from './explain';
import { compileHosts, matchesExact, matchesWildcard } from './patterns';
import type { HostMatcher } from './patterns';

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
  /**
   * Which proxies to believe about the client's host and scheme, with the forms and meaning of
   * Express's `trust proxy` (`true`, a hop count, addresses/CIDR ranges/`'loopback'`, or a
   * function). Through a trusted proxy every `X-Forwarded-Host` value must be allowed too, and
   * the www redirect keeps the scheme the client used.
   * @default the Express app's `trust proxy` setting inside Express, else `false`
   */
  trustProxy?: TrustProxy;
}

const PKG = 'trusted-host';
const KNOWN = ['allowedHosts', 'wwwRedirect', 'trustProxy'] as const;
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
  const trust = compileTrustProxy(PKG, 'trustProxy', opts.trustProxy);

  return tagMiddleware(function trustedHostMiddleware(req, res, next) {
    let view;
    try {
      // A user's trust function may throw; that is the app's error, not a crash.
      view = requestView(req, trust);
    } catch (err) {
      return next(err);
    }
    // RFC 9112 section 3.2: a request without exactly one valid Host is a client error, and so
    // is one whose hosts disagree (absolute-form target, :authority, forwarded hosts).
    const { host, hosts } = view;
    if (host === undefined) {
      if (explain.enabled) explainRefusal(req, [], []);
      return sendText(res, 400, INVALID);
    }
    if (matcher.any || allAllowed(matcher, hosts)) return next();
    // The www redirect applies when the client's own host is the only one refused, and never
    // on a WebSocket handshake (clients do not follow it): there the bare host is a 400.
    const refused = hosts.filter((h) => !allowed(matcher, h));
    if (
      wwwRedirect &&
      !isUpgrade(req) &&
      refused.length === 1 &&
      refused[0]!.hostname === host.hostname &&
      !host.ipv6
    ) {
      const www = `www.${host.hostname}`;
      if (matchesExact(matcher, www, view.port)) {
        const location = `${view.scheme}://${formatHost(www, host.port)}${redirectTarget(req)}`;
        if (explain.enabled) explainRedirect(req, host, location);
        return sendRedirect(res, 307, location);
      }
    }
    if (explain.enabled) explainRefusal(req, hosts, refused);
    sendText(res, 400, INVALID);
  }, 'trusted-host');
}

/** Whether every host matches a pattern (a loop: this is the request path's hot spot). */
function allAllowed(matcher: HostMatcher, hosts: readonly ParsedHost[]): boolean {
  for (let i = 0; i < hosts.length; i++) if (!allowed(matcher, hosts[i]!)) return false;
  return true;
}

/** Whether `host` (its port filled in by the request view) matches a pattern. */
function allowed(matcher: HostMatcher, { hostname, port }: ParsedHost): boolean {
  return matchesExact(matcher, hostname, port!) || matchesWildcard(matcher, hostname, port!);
}
