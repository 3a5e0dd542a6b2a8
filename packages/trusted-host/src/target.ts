import type { IncomingMessage } from 'node:http';
import { quoteTarget } from '@mw/core';

/**
 * RFC 9112 section 3.2:
 *
 *   request-target = origin-form / absolute-form / authority-form / asterisk-form
 *   origin-form    = absolute-path [ "?" query ]
 *   absolute-form  = absolute-URI
 *   absolute-URI   = scheme ":" hier-part [ "?" query ]      (RFC 3986 section 4.3)
 *   scheme         = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
 *
 * Matches the scheme and authority of an absolute-form target (anchored, no backtracking).
 */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The part of a redirect's `Location` that follows the authority, quoted as Starlette quotes
 * it (`quoteTarget`: existing `%XX` kept, so the path and query go out byte for byte).
 *
 * Only origin-form may follow an authority unchanged. absolute-form keeps its path and query
 * (RFC 9112 section 3.2.2); anything else (`*`, `host:port`, a target that does not begin with
 * `/`) becomes `/`, because `https://example.com` followed by `@evil.com` would name another host.
 * Express, Connect and Polka strip a mount path from `req.url`; `originalUrl` keeps what the
 * client sent.
 *
 * @example
 * redirectTarget(req) // '/a%20b?x=1' for `GET /a%20b?x=1`, '/p' for `GET http://h/p`
 */
export function redirectTarget(req: IncomingMessage): string {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  const raw = typeof original === 'string' ? original : (req.url ?? '/');
  if (raw.charCodeAt(0) === 0x2f /* / */) return quoteTarget(raw);
  const authority = ABSOLUTE_FORM.exec(raw);
  if (authority === null) return '/';
  const rest = raw.slice(authority[0].length);
  return rest.charCodeAt(0) === 0x2f ? quoteTarget(rest) : quoteTarget(`/${rest}`);
}
