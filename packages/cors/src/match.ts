import { matchesWildcard, parseOrigin, serializeOrigin } from './origin';
import type { ResolvedOptions } from './options';

/** The synchronous part of the origin decision. */
export type Verdict = typeof DENIED | typeof ALLOWED | typeof ASK;
export const DENIED = 0;
export const ALLOWED = 1;
/** Not allowed statically; the `allowOrigin` predicate decides. */
export const ASK = 2;

/**
 * Compiles `allowOrigins` and `allowOriginRegex` into one function, in increasing cost:
 * a `Set` hit on the raw value (what a browser sends), then, only on a miss, a parse that
 * canonicalises case and default ports, the wildcards, the regex, and last the predicate.
 *
 * `null` is allowed only when listed (a regex such as `.*` or a predicate never sees it), and a
 * value that is not a serialized origin (empty, two origins joined by a proxy, a path) is
 * refused before any user code runs. `'*'` allows every value, since its answer is `*`, which
 * names no origin.
 */
export function compileOriginCheck(options: ResolvedOptions): (origin: string) => Verdict {
  const { origins, regex } = options;
  if (origins.all) return () => ALLOWED;
  const { exact, wildcards } = origins;
  const fallback = options.predicate === undefined ? DENIED : ASK;
  return function checkOrigin(origin) {
    if (exact.has(origin)) return ALLOWED;
    if (origin === 'null') return DENIED;
    const parsed = parseOrigin(origin);
    if (parsed === undefined) return DENIED;
    if (wildcards.length > 0 && matchesWildcard(parsed, wildcards)) return ALLOWED;
    if (exact.size > 0 && exact.has(serializeOrigin(parsed))) return ALLOWED;
    // Starlette matches the regex against the Origin as sent; browsers send it lower-case.
    if (regex !== undefined && regex.test(origin)) return ALLOWED;
    return fallback;
  };
}
