/**
 * Option validation helpers. Every factory validates eagerly and throws a `TypeError` whose
 * message names the package and the option, so a misconfiguration fails at start-up, not on
 * the first request.
 */

/** Builds the `TypeError` every factory throws: `@mw/<pkg>: option "<name>" <problem>`. */
export function optionError(pkg: string, name: string, problem: string): TypeError {
  return new TypeError(`@mw/${pkg}: option "${name}" ${problem}`);
}

/** Returns `value` when it is a plain options object (or `undefined` → `{}`); throws otherwise. */
export function readOptions<T extends object>(pkg: string, value: T | undefined): T {
  if (value === undefined) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`@mw/${pkg}: options must be an object`);
  }
  return value;
}

/**
 * Throws unless every key of `options` is one of `known` (catches typos like `maxage`). With
 * `parent`, `options` is the object value of that option (`hsts`), named `parent.key`.
 */
export function rejectUnknownOptions(
  pkg: string,
  options: object,
  known: readonly string[],
  parent?: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = known.find((k) => k.toLowerCase() === key.toLowerCase());
    const fix = hint
      ? `did you mean "${hint}"?`
      : `known ${parent === undefined ? 'options' : 'keys'} are ${known.join(', ')}`;
    throw new TypeError(
      parent === undefined
        ? `@mw/${pkg}: unknown option "${key}"; ${fix}`
        : `@mw/${pkg}: option "${parent}.${key}" is unknown; ${fix}`,
    );
  }
}

export function booleanOption(
  pkg: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw optionError(pkg, name, 'must be a boolean');
  return value;
}

export interface IntegerBounds {
  min?: number;
  max?: number;
}

export function integerOption(
  pkg: string,
  name: string,
  value: unknown,
  fallback: number,
  bounds: IntegerBounds = {},
): number {
  if (value === undefined) return fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw optionError(pkg, name, `must be an integer ${range}`);
  }
  return value;
}

export function stringArrayOption(
  pkg: string,
  name: string,
  value: unknown,
  fallback: readonly string[],
): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw optionError(pkg, name, 'must be an array of strings');
  }
  return [...(value as string[])];
}

export function functionOption<F extends (...args: never[]) => unknown>(
  pkg: string,
  name: string,
  value: unknown,
): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw optionError(pkg, name, 'must be a function');
  return value as F;
}

/**
 * RFC 9110 section 5.6.2: `token = 1*tchar`,
 * `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA`.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `value` is an RFC 9110 token (a valid header field name or method). */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}
