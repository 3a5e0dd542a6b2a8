import type { ServerResponse } from 'node:http';
import { isToken } from './options';
import { splitList } from './list';

/**
 * `Vary` handling (RFC 9110 section 12.5.5):
 *
 *   Vary = #( "*" / field-name )
 *
 * Fields are appended, never overwritten: hono PR #5235 and h3 PR #1396 both shipped a
 * hand-written `Vary` that replaced one set upstream. Every existing `Vary` line keeps its
 * tokens (Starlette's `add_vary_header` drops a second line), matching is case-insensitive,
 * duplicates are not repeated, and `*` absorbs everything.
 */

/** Validated `Vary` fields, with their joined header value built once. */
export type VaryFields = readonly string[] & { readonly value: string };

/**
 * Validates and normalises `Vary` fields once, so the request path only merges strings.
 * Accepts a field name, a comma list of them, or an array of either.
 *
 * @throws TypeError when a field is not a valid header field name.
 */
export function varyFields(field: string | readonly string[]): VaryFields {
  const out: string[] = [];
  for (const entry of typeof field === 'string' ? [field] : field) {
    if (typeof entry !== 'string') throw new TypeError('@mw/core: vary field must be a string');
    for (const name of splitList(entry, Infinity) ?? []) {
      if (name !== '*' && !isToken(name)) {
        throw new TypeError(`@mw/core: invalid Vary field name ${JSON.stringify(name)}`);
      }
      if (!out.some((f) => f.toLowerCase() === name.toLowerCase())) out.push(name);
    }
  }
  // The joined value is built here once, so the common case (no Vary yet) allocates nothing.
  return Object.defineProperty(out, 'value', { value: out.join(', ') }) as unknown as VaryFields;
}

/**
 * Merges `fields` into an existing `Vary` value (a string, or several header lines).
 * Returns the combined value; it is the input text itself when nothing had to be added.
 */
export function mergeVary(
  existing: string | readonly string[] | undefined,
  fields: readonly string[],
): string {
  const current =
    existing === undefined ? '' : typeof existing === 'string' ? existing : existing.join(', ');
  const tokens: string[] = [];
  const seen = new Set<string>();
  let changed = typeof existing !== 'string';
  for (const token of splitList(current, Infinity) ?? []) {
    const lower = token.toLowerCase();
    if (token === '' || seen.has(lower)) {
      changed = true;
      continue;
    }
    seen.add(lower);
    tokens.push(token);
  }
  if (seen.has('*') || fields.includes('*')) return '*';
  for (const field of fields) {
    const lower = field.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    tokens.push(field);
    changed = true;
  }
  return changed ? tokens.join(', ') : current;
}

/**
 * Appends `field` to the response's `Vary` header.
 *
 * @example
 * vary(res, 'Origin');
 * vary(res, ['Accept-Encoding', 'Origin']);
 * @throws TypeError when a field is not a valid header field name.
 */
export function vary(res: ServerResponse, field: string | readonly string[]): void {
  appendVary(res, varyFields(field));
}

/** {@link vary} for fields already validated by {@link varyFields}: the per-request form. */
export function appendVary(res: ServerResponse, fields: readonly string[]): void {
  const existing = res.getHeader('Vary');
  if (existing === undefined) {
    const joined = (fields as Partial<VaryFields>).value;
    res.setHeader('Vary', joined ?? fields.join(', '));
    return;
  }
  const value = typeof existing === 'number' ? String(existing) : existing;
  const merged = mergeVary(value, fields);
  if (merged !== value) res.setHeader('Vary', merged);
}
