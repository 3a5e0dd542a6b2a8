import { optionError, parseHost } from '@mw/core';

/**
 * Origin parsing and matching.
 *
 *   serialized-origin = scheme "://" host [ ":" port ]        ; RFC 6454 section 6.2
 *   scheme            = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ; RFC 3986 section 3.1
 *   wildcard-entry    = scheme "://*." host [ ":" port ]       ; ours: one leading label
 *
 * `host [ ":" port ]` is validated by `@mw/core`'s `parseHost` (DNS labels or a bracketed IPv6
 * literal, port <= 65535). Two origins are the same when their scheme, host and port are: scheme
 * and host compare case-insensitively and a default port (`:443` for https) is the same as none,
 * which is how browsers serialize them (so the fast path is one `Set` look-up of the raw value).
 */

/** A validated origin: lower-case scheme and host, port `undefined` when it is the default. */
export interface ParsedOrigin {
  scheme: string;
  hostname: string;
  port: number | undefined;
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/;
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
]);

/**
 * Parses a serialized origin; `undefined` for anything else (`null`, an empty value, a path, a
 * trailing slash or dot, userinfo, several origins joined by a proxy with `, `).
 *
 * @example
 * parseOrigin('HTTPS://Example.com:443') // { scheme: 'https', hostname: 'example.com', port: undefined }
 */
export function parseOrigin(value: string): ParsedOrigin | undefined {
  const sep = value.indexOf('://');
  if (sep <= 0) return undefined;
  const scheme = value.slice(0, sep).toLowerCase();
  if (!SCHEME.test(scheme)) return undefined;
  const authority = value.slice(sep + 3);
  // parseHost forgives one trailing dot, but `https://example.com.` is another origin.
  if (authority.endsWith('.') || authority.includes('.:')) return undefined;
  const host = parseHost(authority);
  if (host === undefined) return undefined;
  const port = host.port === DEFAULT_PORTS.get(scheme) ? undefined : host.port;
  return { scheme, hostname: host.hostname, port };
}

/** The canonical text of a parsed origin (what browsers send). */
export function serializeOrigin(origin: ParsedOrigin): string {
  const base = `${origin.scheme}://${origin.hostname}`;
  return origin.port === undefined ? base : `${base}:${origin.port}`;
}

/** A `scheme://*.suffix[:port]` entry of `allowOrigins`. */
interface Wildcard {
  scheme: string;
  /** `.example.com`: the leading dot makes `evilexample.com` and the apex fail `endsWith`. */
  suffix: string;
  port: number | undefined;
}

/** What `allowOrigins` compiles to. */
export interface OriginList {
  /** `'*'` was listed. */
  all: boolean;
  /** Canonical origins, plus `'null'` when it was listed. */
  exact: ReadonlySet<string>;
  wildcards: readonly Wildcard[];
}

const ENTRY_HINT =
  'write scheme://host[:port] with no path or trailing slash (e.g. "https://app.example.com"), ' +
  'a leading-label wildcard ("https://*.example.com"), "null" or "*"';

/**
 * Validates and canonicalises `allowOrigins`.
 *
 * @throws TypeError naming the entry that is not an origin.
 */
export function compileOriginList(entries: readonly string[]): OriginList {
  let all = false;
  const exact = new Set<string>();
  const wildcards: Wildcard[] = [];
  for (const entry of entries) {
    if (entry === '*') {
      all = true;
      continue;
    }
    if (entry === 'null') {
      exact.add(entry);
      continue;
    }
    const star = entry.indexOf('://*.');
    const parsed = parseOrigin(
      star === -1 ? entry : entry.slice(0, star + 3) + entry.slice(star + 5),
    );
    if (parsed === undefined || (star !== -1 && parsed.hostname.startsWith('['))) {
      throw optionError(
        'cors',
        'allowOrigins',
        `entry ${JSON.stringify(entry)} is not an origin; ${ENTRY_HINT}`,
      );
    }
    if (star === -1) {
      exact.add(serializeOrigin(parsed));
      continue;
    }
    if (!parsed.hostname.includes('.')) {
      // `https://*.com` would allow every .com site; API.md: at least two labels after `*.`.
      throw optionError(
        'cors',
        'allowOrigins',
        `entry ${JSON.stringify(entry)} allows every site under a top-level name; a wildcard ` +
          'needs at least two labels after "*." (e.g. "https://*.example.com")',
      );
    }
    wildcards.push({ scheme: parsed.scheme, suffix: `.${parsed.hostname}`, port: parsed.port });
  }
  return { all, exact, wildcards };
}

/** Whether a parsed request origin is a subdomain (any depth) of a wildcard entry. */
export function matchesWildcard(origin: ParsedOrigin, wildcards: readonly Wildcard[]): boolean {
  for (const w of wildcards) {
    if (
      origin.scheme === w.scheme &&
      origin.port === w.port &&
      origin.hostname.length > w.suffix.length &&
      origin.hostname.endsWith(w.suffix)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Compiles `allowOriginRegex` into an anchored, stateless RegExp.
 *
 * Starlette uses Python's `re.fullmatch` (since 0.13.1, #801), so the pattern is wrapped in
 * `^(?:...)$`: `/example\.com$/` from the `cors` README would otherwise accept
 * `https://evilexample.com`. The caller's RegExp is never used itself: `g` and `y` make `test()`
 * carry `lastIndex` from one request to the next, and `m` would let `^`/`$` match at a line
 * break, so the copy drops those three flags.
 *
 * @throws TypeError when the value is not a string or RegExp, or is not a valid JavaScript regex.
 */
export function compileOriginRegex(value: unknown): RegExp | undefined {
  if (value === undefined) return undefined;
  let source: string;
  let flags = '';
  if (value instanceof RegExp) {
    source = value.source;
    flags = value.flags.replace(/[gym]/g, '');
  } else if (typeof value === 'string') {
    source = value;
  } else {
    throw optionError('cors', 'allowOriginRegex', 'must be a string or a RegExp');
  }
  try {
    // Compiled alone first: `a)|(b` is invalid by itself but would turn the wrapped form into
    // `^(?:a)|(b)$`, which is no longer a full match.
    new RegExp(source, flags);
    return new RegExp(`^(?:${source})$`, flags);
  } catch (err) {
    throw optionError(
      'cors',
      'allowOriginRegex',
      `is not a valid JavaScript regular expression (${(err as Error).message}); ` +
        'note Python-only syntax such as (?i) or (?P<name>...) must be rewritten ' +
        '(pass a RegExp with the i flag), or list origins in allowOrigins instead',
    );
  }
}
