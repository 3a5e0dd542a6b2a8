import type { IncomingMessage, ServerResponse } from 'node:http';
import { ABSOLUTE_FORM, requestTarget } from './view';

const TEXT_PLAIN = 'text/plain; charset=utf-8';

/**
 * Ends `res` with a short plain-text body, as Starlette's `PlainTextResponse` does for every
 * 400 and preflight answer: `headers` (a flat `name, value, ...` list, usually pre-built by the
 * factory), then `Content-Length` and `Content-Type: text/plain; charset=utf-8`.
 *
 * The head goes out through one `writeHead(status, flatArray)`: when nothing was set with
 * `setHeader` before, Node serialises the array directly, which costs about half of setting
 * each header (measured in BENCHMARKS.md); otherwise Node replaces same-named headers, exactly
 * as `setHeader` would.
 */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: readonly string[] = [],
): void {
  res.writeHead(status, [
    ...headers,
    'Content-Length',
    String(Buffer.byteLength(body)),
    'Content-Type',
    TEXT_PLAIN,
  ]);
  res.end(body);
}

/**
 * Ends `res` with an empty-bodied redirect, as Starlette's `RedirectResponse`:
 * `Content-Length: 0` and `Location`, no `Content-Type`.
 */
export function sendRedirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, ['Content-Length', '0', 'Location', location]);
  res.end();
}

/**
 * Characters kept as they are in a `Location` built from the request target: unreserved
 * characters plus Starlette's `safe=":/%#?=@[]!$&'()*+,;"`. An existing `%XX` is kept, so an
 * already-encoded path round-trips byte for byte.
 */
const SAFE = /^[A-Za-z0-9_.~:/%#?=@[\]!$&'()*+,;-]*$/;

/**
 * Percent-encodes what is not URL-safe in a request target (space to `%20`, a raw byte >= 0x80
 * to `%XX`). Node hands the request line to JavaScript as latin1, so each character below 256
 * is one byte of what the client sent, and is encoded as that byte.
 */
export function quoteTarget(target: string): string {
  if (SAFE.test(target)) return target;
  let out = '';
  for (let i = 0; i < target.length; i++) {
    const ch = target[i]!;
    if (SAFE.test(ch)) {
      out += ch;
      continue;
    }
    const code = target.charCodeAt(i);
    if (code < 256) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += encodeURIComponent(ch);
  }
  return out;
}

/**
 * The part of a redirect's `Location` that follows the authority, quoted as Starlette quotes
 * it (`quoteTarget`: existing `%XX` kept, so the path and query go out byte for byte).
 *
 * Only origin-form may follow an authority unchanged. absolute-form keeps its path and query
 * (RFC 9112 section 3.2.2); anything else (`*`, `host:port`, a target that does not begin with
 * `/`) becomes `/`, because `https://example.com` followed by `@evil.com` would name another host.
 *
 * @example
 * redirectTarget(req) // '/a%20b?x=1' for `GET /a%20b?x=1`, '/p' for `GET http://h/p`
 */
export function redirectTarget(req: IncomingMessage): string {
  const raw = requestTarget(req);
  if (raw.charCodeAt(0) === 0x2f /* / */) return quoteTarget(raw);
  const authority = ABSOLUTE_FORM.exec(raw);
  if (authority === null) return '/';
  const rest = raw.slice(authority[0].length);
  return rest.charCodeAt(0) === 0x2f ? quoteTarget(rest) : quoteTarget(`/${rest}`);
}
