import { isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * `Host` header parsing (RFC 9110 section 7.2, RFC 3986 section 3.2.2):
 *
 *   Host     = uri-host [ ":" port ]
 *   uri-host = IP-literal / IPv4address / reg-name
 *   port     = *DIGIT
 *
 * Deliberately stricter than RFC 3986's reg-name: a host is DNS labels of letters, digits, `-`
 * and `_` separated by dots (at most 253 characters, labels of at most 63), or a bracketed IPv6
 * literal. Userinfo (`example.com@evil.com`), path characters, percent-encoding, an empty or
 * out-of-range port and IPvFuture are malformed and rejected rather than guessed at: Starlette
 * reduced `[::1]:8000` to `[` and express-sslify echoed `evil.com/x` into `Location`.
 */

/** A validated, normalised `Host`. */
export interface ParsedHost {
  /** Lower-cased host name without one trailing dot; IPv6 literals keep their brackets. */
  hostname: string;
  /** The port, when the header gave one. */
  port: number | undefined;
  /** Whether `hostname` is a bracketed IPv6 literal. */
  ipv6: boolean;
}

const MAX_HOST_LENGTH = 253;
const PORT = /^\d{1,5}$/;

/**
 * Parses a `Host` value into its normalised name and port, or `undefined` when it is malformed.
 *
 * @example
 * parseHost('Example.COM.:8080') // { hostname: 'example.com', port: 8080, ipv6: false }
 * parseHost('[::1]') // { hostname: '[::1]', port: undefined, ipv6: true }
 * parseHost('example.com@evil.com') // undefined
 */
export function parseHost(value: string): ParsedHost | undefined {
  if (value.length === 0 || value.length > MAX_HOST_LENGTH + 8 + 64) return undefined;
  let name: string;
  let rest: string;
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']');
    if (close === -1) return undefined;
    const literal = value.slice(1, close);
    if (!isIPv6(literal) || literal.includes('%')) return undefined;
    // Canonical form (RFC 5952: lower case, zeros compressed), so `[0:0::1]` matches `[::1]`.
    name = new URL(`http://[${literal}]/`).hostname;
    rest = value.slice(close + 1);
  } else {
    const colon = value.indexOf(':');
    name = colon === -1 ? value : value.slice(0, colon);
    rest = colon === -1 ? '' : value.slice(colon);
    name = normaliseName(name) ?? '';
    if (name === '') return undefined;
  }
  let port: number | undefined;
  if (rest !== '') {
    if (rest.charCodeAt(0) !== 0x3a /* : */) return undefined;
    const digits = rest.slice(1);
    if (!PORT.test(digits)) return undefined;
    port = Number(digits);
    if (port > 65535) return undefined;
  }
  return { hostname: name, port, ipv6: name.charCodeAt(0) === 0x5b };
}

/**
 * Lower-cases a reg-name and drops one trailing dot; `undefined` when it is not valid.
 *
 *   name  = label *( "." label )     at most 253 characters
 *   label = ( ALPHA / DIGIT / "_" ) [ *61( ALPHA / DIGIT / "_" / "-" ) ( ALPHA / DIGIT / "_" ) ]
 *
 * One pass over the character codes: this runs on every request, and splitting into labels
 * and matching each with a regular expression cost several times more (measured in
 * BENCHMARKS.md).
 */
function normaliseName(raw: string): string | undefined {
  let end = raw.length;
  if (end > 0 && raw.charCodeAt(end - 1) === 0x2e /* . */) end--;
  if (end === 0 || end > MAX_HOST_LENGTH) return undefined;
  let labelStart = 0;
  let upper = false;
  for (let i = 0; i <= end; i++) {
    const c = i === end ? 0x2e : raw.charCodeAt(i);
    if (c === 0x2e) {
      const length = i - labelStart;
      if (length === 0 || length > 63) return undefined;
      if (raw.charCodeAt(labelStart) === 0x2d || raw.charCodeAt(i - 1) === 0x2d) return undefined;
      labelStart = i + 1;
    } else if (c >= 0x41 && c <= 0x5a) {
      upper = true;
    } else if (!(
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f
    )) {
      return undefined;
    }
  }
  const name = end === raw.length ? raw : raw.slice(0, end);
  return upper ? name.toLowerCase() : name;
}

/**
 * Normalises a host *pattern* from configuration the way {@link parseHost} normalises a
 * request's host (lower case, one trailing dot dropped, IPv6 bracketed), keeping a leading
 * `*.` wildcard. Returns `undefined` when the pattern is not a valid host.
 */
export function normaliseHostPattern(pattern: string): ParsedHost | undefined {
  if (pattern.startsWith('*.')) {
    const parsed = parseHost(pattern.slice(2));
    if (!parsed || parsed.ipv6) return undefined;
    return { ...parsed, hostname: `*.${parsed.hostname}` };
  }
  return parseHost(pattern);
}

/** Formats a host and optional port back into `Host` syntax. */
export function formatHost(hostname: string, port?: number): string {
  return port === undefined ? hostname : `${hostname}:${port}`;
}

/**
 * The request's validated `Host`, or `undefined` when it is missing, empty, malformed or sent
 * more than once. Node keeps only the first of several `Host` lines in `req.headers`, so the
 * raw headers are counted (RFC 9112 section 3.2: a request with several is invalid).
 */
export function requestHost(req: IncomingMessage): ParsedHost | undefined {
  const value = req.headers.host;
  if (value === undefined) return undefined;
  const raw = req.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host' && ++count > 1) return undefined;
  }
  return parseHost(value);
}
