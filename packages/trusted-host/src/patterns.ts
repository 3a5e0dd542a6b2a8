import { isIPv6 } from 'node:net';
import { normaliseHostPattern, optionError } from '@mw/core';
import type { ParsedHost } from '@mw/core';

/**
 * `allowedHosts` patterns, compiled once into sets so a request costs the same whatever the
 * number of patterns and whatever the number of distinct hosts seen before (no cache keyed by
 * client input: host-validation-middleware's unbounded set cost 63 MB for a million hosts).
 *
 *   pattern  = "*" / [ "*." ] host [ ":" port ]
 *   host     = reg-name / "[" IPv6address "]"
 *
 * Keys are `hostname` (any port) or `hostname:port` (a pinned port). A `*.example.com` pattern
 * is stored as `*.example.com`, so matching walks the request's labels and looks each suffix
 * up: O(length of the Host), never O(number of patterns).
 */
export interface HostMatcher {
  /** `'*'` was listed: every well-formed host is allowed. */
  readonly any: boolean;
  /** Patterns (exact and `*.` wildcards) without a port: any port matches. */
  readonly anyPort: ReadonlySet<string>;
  /** Patterns with a pinned port, as `name:port`. */
  readonly pinned: ReadonlySet<string>;
}

const PKG = 'trusted-host';
const WILDCARD_ERROR = "Domain wildcard patterns must be like '*.example.com'.";

/**
 * Validates and compiles `allowedHosts`.
 *
 * @throws TypeError when the list is empty, holds a non-string, a misplaced `*`, an unbracketed
 * IPv6 literal or anything that is not a host.
 */
export function compileHosts(patterns: readonly string[]): HostMatcher {
  if (patterns.length === 0) {
    throw optionError(PKG, 'allowedHosts', "must not be empty; use ['*'] to allow every host");
  }
  let any = false;
  const anyPort = new Set<string>();
  const pinned = new Set<string>();
  for (const pattern of patterns) {
    if (pattern === '*') {
      any = true;
      continue;
    }
    const parsed = parsePattern(pattern);
    if (parsed.port === undefined) anyPort.add(parsed.hostname);
    else pinned.add(`${parsed.hostname}:${parsed.port}`);
  }
  return { any, anyPort, pinned };
}

/** One pattern, validated with Starlette's wording for a misplaced `*`. */
function parsePattern(pattern: string): ParsedHost {
  const star = pattern.indexOf('*');
  // Starlette: `assert "*" not in pattern[1:]` and a leading `*` must be `*.`.
  if (pattern.includes('*', 1) || (star === 0 && !pattern.startsWith('*.'))) {
    throw optionError(PKG, 'allowedHosts', `has ${JSON.stringify(pattern)}: ${WILDCARD_ERROR}`);
  }
  const parsed = normaliseHostPattern(pattern);
  if (parsed !== undefined) return parsed;
  if (isIPv6(pattern)) {
    // `::1:8080` is ambiguous (address or port?), so RFC 3986 brackets IPv6 literals.
    throw optionError(
      PKG,
      'allowedHosts',
      `has ${JSON.stringify(pattern)}: an IPv6 literal must be bracketed, like '[::1]' or '[::1]:8080'`,
    );
  }
  throw optionError(
    PKG,
    'allowedHosts',
    `has ${JSON.stringify(pattern)}, which is not a host name, IPv6 literal or '*.' wildcard (with an optional port)`,
  );
}

/**
 * Whether `hostname` (already normalised by `parseHost`) at `port` is allowed by an exact
 * pattern. `port` is the Host's port, or the connection's default port when it gave none.
 */
export function matchesExact(matcher: HostMatcher, hostname: string, port: number): boolean {
  return (
    matcher.anyPort.has(hostname) ||
    (matcher.pinned.size > 0 && matcher.pinned.has(`${hostname}:${port}`))
  );
}

/**
 * Whether a `*.suffix` pattern allows `hostname`: each proper suffix starting at a dot is looked
 * up, so `a.b.example.com` matches `*.example.com` but `example.com` (the apex, T18) and
 * `evilexample.com` (T05) do not.
 */
export function matchesWildcard(matcher: HostMatcher, hostname: string, port: number): boolean {
  // An IPv6 literal has no labels; `*.` patterns never hold one (normaliseHostPattern).
  if (hostname.charCodeAt(0) === 0x5b /* [ */) return false;
  for (let dot = hostname.indexOf('.'); dot !== -1; dot = hostname.indexOf('.', dot + 1)) {
    const key = `*${hostname.slice(dot)}`;
    if (matcher.anyPort.has(key)) return true;
    if (matcher.pinned.size > 0 && matcher.pinned.has(`${key}:${port}`)) return true;
  }
  return false;
}
