import type { ServerResponse } from 'node:http';

/**
 * Ends `res` with a short plain-text body, as Starlette's `PlainTextResponse` does for every
 * 400 and preflight answer: `Content-Length` then `Content-Type: text/plain; charset=utf-8`.
 * `headers` are set first (they are pre-built by the factory).
 */
export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers?: Readonly<Record<string, string>>,
): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

/**
 * Ends `res` with an empty-bodied redirect, as Starlette's `RedirectResponse`:
 * `Content-Length: 0` and `Location`, no `Content-Type`.
 */
export function sendRedirect(res: ServerResponse, status: number, location: string): void {
  res.statusCode = status;
  res.setHeader('Content-Length', 0);
  res.setHeader('Location', location);
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
