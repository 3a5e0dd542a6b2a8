/**
 * JSON written the way Python's `json.dumps(value)` writes it with its defaults (Starlette's
 * encoder): separators `", "` and `": "`, and `ensure_ascii=True`, which escapes every character
 * outside printable ASCII (`[^\ -~]`, so DEL too) as `\uXXXX` in lower-case hex, and non-BMP
 * characters as their UTF-16 surrogate pair. The result is pure ASCII, so the cookie payload is
 * byte-identical to Starlette's for the same data and key order.
 *
 * Values follow `JSON.stringify` where JavaScript and Python differ: `toJSON` is honoured (a
 * `Date` becomes its ISO string), `undefined`, functions and symbols are left out of objects and
 * become `null` in arrays, non-finite numbers become `null`, numbers are JavaScript's shortest
 * form (`1` for Python's `1.0`), and a cycle throws a `TypeError`. A `bigint` is written as its
 * digits, as Python writes an `int` of any size (`parseJson` reads it back as a `bigint`).
 */

/** Printable ASCII without `"` and `\`: the characters Python writes as they are. */
const PLAIN = /^[ !#-[\]-~]*$/;
const ESCAPED = /[^ !#-[\]-~]/g;
const SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escapeChar(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A Python-style JSON string literal (`ensure_ascii=True`). */
export function quote(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : `"${value.replace(ESCAPED, escapeChar)}"`;
}

/** Serialises `value` as Python's `json.dumps` does; `undefined` when it has no JSON form. */
export function pythonJson(value: unknown, seen: unknown[] = []): string | undefined {
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as () => unknown).call(value);
  }
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return 'null';
  if (seen.includes(value)) {
    throw new TypeError('@mw/session: the session contains a circular reference');
  }
  seen.push(value);
  let out: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value as unknown[]) items.push(pythonJson(item, seen) ?? 'null');
    out = `[${items.join(', ')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record)) {
      const item = pythonJson(record[key], seen);
      if (item !== undefined) members.push(`${quote(key)}: ${item}`);
    }
    out = `{${members.join(', ')}}`;
  }
  seen.pop();
  return out;
}
