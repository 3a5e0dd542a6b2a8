/**
 * Reading the `Cookie` header and spelling `Set-Cookie` as Starlette does.
 *
 * The `cookie` npm package is not used: its `parse` keeps the FIRST of duplicate names where
 * Starlette's `cookie_parser` keeps the LAST (S24), and its `serialize` spells attributes
 * `Path=/; HttpOnly; SameSite=Lax` where Starlette writes `path=/; httponly; samesite=lax`.
 */

/**
 * Starlette's `cookie_parser` (lenient, like browsers): the header is split on `;`, each chunk
 * on its first `=` (a chunk without `=` is a value with an empty name), both sides stripped,
 * and the value un-quoted as Python's `http.cookies._unquote` does. Returns every value of
 * `name`, in header order (empty when absent): Starlette keeps the last, the session middleware
 * keeps the one that verifies (a sibling app's cookie on a wider path may share the name).
 *
 *   cookie-header = cookie-pair *( ";" cookie-pair )     (RFC 6265 section 4.2.1, leniently)
 */
export function readCookies(header: string | undefined, name: string): string[] {
  const found: string[] = [];
  if (header === undefined || !header.includes(name)) return found;
  let start = 0;
  // The next "=" is searched only once it lies behind us, so a header of many chunks without
  // "=" (`a;a;a;...`) is still scanned once: linear, never quadratic.
  let eq = header.indexOf('=');
  while (eq >= 0 && start <= header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    if (eq < start) {
      eq = header.indexOf('=', start);
      if (eq < 0) break; // no pair left: the rest are nameless chunks
    }
    if (eq < end && header.slice(start, eq).trim() === name) {
      found.push(unquote(header.slice(eq + 1, end).trim()));
    }
    start = end + 1;
  }
  return found;
}

/** The last value of `name` (Starlette's rule), or `undefined` when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  const found = readCookies(header, name);
  return found[found.length - 1];
}

/** Octal escapes (`\012`) and backslash-quoted characters, as in Python's `_unquote`. */
const QUOTED_PAIR = /\\(?:([0-3][0-7][0-7])|(.))/g;

/** Python's `http.cookies._unquote`: a value wrapped in double quotes loses them and escapes. */
export function unquote(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  const inner = value.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  return inner.replace(QUOTED_PAIR, (_match, octal: string | undefined, ch: string | undefined) =>
    octal === undefined ? ch! : String.fromCharCode(parseInt(octal, 8)),
  );
}

/**
 * RFC 6265 section 4.1.1: `cookie-name = token` (RFC 2616 token, the same set as RFC 9110's
 * `tchar`); checked with core's `isToken`.
 *
 * `path-value = <any CHAR except CTLs or ";">` (section 4.1.1). We also require the leading
 * `/`: a user agent replaces any other path with the request's default path (section 5.2.4).
 */
export const PATH_VALUE = /^\/[\x20-\x3a\x3c-\x7e]*$/;

/**
 * RFC 6265 section 4.1.1: `domain-value = <subdomain>` (RFC 1034 section 3.5, as enhanced by
 * RFC 1123 section 2.1 so a label may start with a digit); a leading `.` is accepted and
 * ignored by user agents (section 5.2.3), so Starlette's `.example.com` stays valid.
 *
 *   subdomain = label *( "." label )
 *   label     = let-dig [ *61( let-dig / "-" ) let-dig ]
 */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isDomainValue(value: string): boolean {
  const domain = value.startsWith('.') ? value.slice(1) : value;
  return domain.length > 0 && domain.length <= 253 && domain.split('.').every((l) => LABEL.test(l));
}

/** Starlette 1.7's `security_flags`, spelled as it spells them. */
export function securityFlags(
  sameSite: string,
  httpsOnly: boolean,
  domain: string | undefined,
  partitioned: boolean,
): string {
  return (
    `httponly; samesite=${sameSite}` +
    (httpsOnly ? '; secure' : '') +
    (domain !== undefined ? `; domain=${domain}` : '') +
    (partitioned ? '; partitioned' : '')
  );
}

/**
 * What follows `name=value` when storing: `; path={path}; Max-Age={maxAge}; {flags}`.
 * Starlette writes `Max-Age` only when `max_age` is truthy: `null` and `0` leave it out.
 */
export function storeSuffix(path: string, maxAge: number | null, flags: string): string {
  return `; path=${path}; ${maxAge ? `Max-Age=${maxAge}; ` : ''}${flags}`;
}

/** The whole clearing `Set-Cookie` value: the literal `null`, expired in 1970, same flags. */
export function clearingCookie(name: string, path: string, flags: string): string {
  return `${name}=null; path=${path}; expires=Thu, 01 Jan 1970 00:00:00 GMT; ${flags}`;
}
