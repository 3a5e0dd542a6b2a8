/**
 * Linear-time parsing of comma-separated header lists (RFC 9110 section 5.6.1).
 *
 *   #element = [ element ] *( OWS "," OWS [ element ] )
 *   weight   = OWS ";" OWS "q=" qvalue
 *   qvalue   = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 *
 * The scanners below walk the string once with `indexOf`, never with a backtracking regular
 * expression: hono's `/\s*,\s*\/` split of Access-Control-Request-Headers was a ReDoS
 * (CVE-2026-69207). Each takes a length bound; a longer value is refused (`undefined`)
 * before any work is done, so a 100 KB header costs microseconds.
 */

/**
 * A header value as one string: several lines (an array) joined into one comma list, which
 * RFC 9110 section 5.3 makes equivalent for list headers; a number as its decimal text.
 */
export function headerText(value: number | string | readonly string[]): string;
export function headerText(
  value: number | string | readonly string[] | undefined,
): string | undefined;
export function headerText(
  value: number | string | readonly string[] | undefined,
): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : value.join(', ');
}

/** Default bound on a list header's length, in characters. Browsers send far less. */
export const MAX_LIST_LENGTH = 8192;

/**
 * Splits a comma list into trimmed items. Empty items (a trailing comma, `a,,b`, an empty
 * value) are kept as `''` so a caller can refuse them; returns `undefined` when `value` is
 * longer than `maxLength`.
 *
 * @example
 * splitList('X-Token, content-type') // ['X-Token', 'content-type']
 * splitList('a,') // ['a', '']
 */
export function splitList(
  value: string,
  maxLength: number = MAX_LIST_LENGTH,
): string[] | undefined {
  if (value.length > maxLength) return undefined;
  const items: string[] = [];
  let start = 0;
  for (;;) {
    const comma = value.indexOf(',', start);
    const end = comma === -1 ? value.length : comma;
    items.push(value.slice(start, end).trim());
    if (comma === -1) return items;
    start = comma + 1;
  }
}

/** One element of a weighted list such as `Accept-Encoding`. */
export interface WeightedItem {
  /** The element without parameters, lower-cased. */
  value: string;
  /** Its quality, 0 to 1 (1 when no `q` parameter is given). */
  q: number;
  /** Its position in the header, for stable ordering of equal weights. */
  index: number;
}

/** `qvalue` of RFC 9110 section 12.4.2, matched against a short, already isolated string. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses a weighted list (`gzip;q=0.8, br, *;q=0`). Items are lower-cased; empty items are
 * skipped; an item whose `q` is not a valid qvalue is dropped (RFC 9110 gives it no meaning).
 * Returns `undefined` when `value` is longer than `maxLength`.
 */
export function parseWeightedList(
  value: string,
  maxLength: number = MAX_LIST_LENGTH,
): WeightedItem[] | undefined {
  const parts = splitList(value, maxLength);
  if (parts === undefined) return undefined;
  const items: WeightedItem[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const semi = part.indexOf(';');
    if (semi === -1) {
      items.push({ value: part.toLowerCase(), q: 1, index: i });
      continue;
    }
    const q = readQ(part, semi);
    if (q === undefined) continue;
    items.push({ value: part.slice(0, semi).trim().toLowerCase(), q, index: i });
  }
  return items;
}

/** Reads the `q` parameter among the `;`-separated parameters that start at `semi`. */
function readQ(part: string, semi: number): number | undefined {
  let q = 1;
  let start = semi + 1;
  while (start <= part.length) {
    const next = part.indexOf(';', start);
    const end = next === -1 ? part.length : next;
    const param = part.slice(start, end).trim();
    if (param.length > 1 && (param[0] === 'q' || param[0] === 'Q')) {
      const eq = param.indexOf('=');
      if (eq !== -1 && param.slice(1, eq).trim() === '') {
        const raw = param.slice(eq + 1).trim();
        if (!QVALUE.test(raw)) return undefined;
        q = Number(raw);
      }
    }
    if (next === -1) break;
    start = next + 1;
  }
  return q;
}
