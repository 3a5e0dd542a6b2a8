import { clip, explainer, MAX_LIST_LENGTH, splitList } from '@mw/core';
import { parseOrigin } from './origin';
import type { ResolvedOptions } from './options';

/**
 * `DEBUG=mw:cors` and the `mw:cors` diagnostics channel (issue 17). Everything here runs only
 * behind `explain.enabled`: the request path pays one boolean check.
 *
 * Events: `origin-refused` (an actual request whose Origin earned no CORS headers),
 * `preflight-refused` (a 400 and every part that failed), `predicate-allowed`,
 * `predicate-error`, `predicate-timeout`; an origin `allowOrigin` refuses is an `origin-refused`.
 */
export const explain = explainer('cors');

/** Which rule refused an origin, in the user's terms (only called when explaining). */
export function compileOriginReason(options: ResolvedOptions): (origin: string) => string {
  const { exact, wildcards } = options.origins;
  const rules: string[] = [];
  if (exact.size > 0 || wildcards.length > 0) rules.push('not in allowOrigins');
  if (options.regex !== undefined) rules.push(`does not match allowOriginRegex ${options.regex}`);
  const listed = rules.length > 0 ? rules.join(' and ') : 'allowOrigins is empty';
  return (origin) => {
    if (origin === 'null') return "'null' is allowed only when listed in allowOrigins";
    if (parseOrigin(origin) === undefined) {
      return 'not a serialized origin (scheme://host[:port], no path)';
    }
    return listed;
  };
}

/** One line for a refused preflight: each failing part and why. */
export function preflightReason(
  options: ResolvedOptions,
  origin: string,
  originWhy: string | undefined,
  method: string | undefined,
  requested: string | undefined,
  privateNetwork: boolean,
): string {
  const parts: string[] = [];
  if (originWhy !== undefined) parts.push(`origin ${clip(origin)}: ${originWhy}`);
  if (method !== undefined && !options.methods.includes(method)) {
    parts.push(`method ${clip(method)} not in allowMethods [${options.methods.join(', ')}]`);
  }
  if (requested !== undefined) {
    const items = splitList(requested);
    const allowed = new Set(options.headers.map((h) => h.toLowerCase()));
    if (items === undefined)
      parts.push(`Access-Control-Request-Headers longer than ${MAX_LIST_LENGTH}`);
    else if (!options.allHeaders) {
      const bad = items.filter((item) => !allowed.has(item.toLowerCase()));
      if (bad.length > 0) {
        const names = bad.map((h) => (h === '' ? '(empty item)' : clip(h))).join(', ');
        parts.push(`header ${names} not in allowHeaders`);
      }
    }
  }
  if (privateNetwork && !options.privateNetwork) {
    parts.push('private network access requested but allowPrivateNetwork is false');
  }
  return `refused preflight: ${parts.join('; ')}`;
}
