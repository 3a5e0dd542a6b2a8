import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendVary, MAX_LIST_LENGTH, sendText, splitList, varyFields } from '@mw/core';
import { explain, preflightReason } from './explain';
import type { ResolvedOptions } from './options';

/**
 * Starlette 1.7's preflight `Vary` (#3517): a cache must key a preflight answer on every request
 * header it depends on, even the ones this request did not send.
 */
export const PREFLIGHT_VARY = varyFields([
  'Origin',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Access-Control-Request-Private-Network',
]);

const ORIGIN = 1;
const METHOD = 2;
const HEADERS = 4;
const PRIVATE_NETWORK = 8;

/**
 * Every possible body, indexed by the failure bits, built once: `OK`, or `Disallowed CORS ` and
 * the failing parts in Starlette's order (each at most once since 0.15.0, #1199).
 */
const BODIES: readonly string[] = Array.from({ length: 16 }, (_, bits) => {
  const parts = ['origin', 'method', 'headers', 'private-network'].filter(
    (_, i) => bits & (1 << i),
  );
  return parts.length === 0 ? 'OK' : `Disallowed CORS ${parts.join(', ')}`;
});

/** Answers a preflight; `allowed` is the outcome of the origin check. */
export type PreflightAnswer = (
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  allowed: boolean,
  /** Why the origin was refused; given only while decisions are explained. */
  originWhy?: string,
) => void;

/**
 * Pre-builds Starlette's `preflight_headers` and returns the function that answers a preflight
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) with `200 OK` or
 * `400 Disallowed CORS ...`, `text/plain; charset=utf-8`. A 400 still carries every header
 * computed so far, as Starlette's does.
 */
export function compilePreflight(options: ResolvedOptions): PreflightAnswer {
  const all = options.origins.all;
  // Flat `name, value, ...` lists for one `writeHead` (core `sendText`): with `Vary` first when
  // the response has none yet, and without it when one must be merged.
  const fixed: string[] = [];
  if (all) fixed.push('Access-Control-Allow-Origin', '*');
  fixed.push('Access-Control-Allow-Methods', options.methods.join(', '));
  fixed.push('Access-Control-Max-Age', String(options.maxAge));
  if (!options.allHeaders) {
    fixed.push('Access-Control-Allow-Headers', options.headers.join(', '));
  }
  if (options.credentials) fixed.push('Access-Control-Allow-Credentials', 'true');
  const withVary: readonly string[] = ['Vary', PREFLIGHT_VARY.value, ...fixed];
  const methods = new Set(options.methods);
  const headers = new Set(options.headers.map((h) => h.toLowerCase()));
  const { allHeaders, privateNetwork } = options;

  /**
   * `Access-Control-Request-Headers = #field-name` (Fetch). Items are compared case-insensitively
   * after trimming; an empty item (trailing comma, empty value) is refused as Starlette does.
   * The value is split in one linear pass and refused outright above `MAX_LIST_LENGTH`.
   */
  function headersAllowed(requested: string): boolean {
    // A browser repeats the same list preflight after preflight: one remembered answer (at most
    // MAX_LIST_LENGTH characters, so bounded) skips the split on the common path.
    if (requested === lastRequested) return lastAllowed;
    const items = splitList(requested, MAX_LIST_LENGTH);
    if (items === undefined) return false;
    let allowed = true;
    for (const item of items) {
      if (!headers.has(item.toLowerCase())) {
        allowed = false;
        break;
      }
    }
    lastRequested = requested;
    lastAllowed = allowed;
    return allowed;
  }
  let lastRequested = '';
  let lastAllowed = false;

  return function answerPreflight(req, res, origin, allowed, originWhy) {
    let head: string[];
    if (res.hasHeader('Vary')) {
      appendVary(res, PREFLIGHT_VARY);
      head = fixed.slice();
    } else head = withVary.slice();
    let failures = 0;
    if (!allowed) failures |= ORIGIN;
    else if (!all) head.push('Access-Control-Allow-Origin', origin);
    if (!methods.has(req.headers['access-control-request-method'] as string)) failures |= METHOD;
    const requested = req.headers['access-control-request-headers'] as string | undefined;
    if (requested !== undefined) {
      // `'*'` mirrors the request verbatim (Starlette), but not past the length bound: echoing a
      // 100 KB header back would only amplify an abusive request.
      if (!allHeaders) {
        if (!headersAllowed(requested)) failures |= HEADERS;
      } else if (requested.length > MAX_LIST_LENGTH) failures |= HEADERS;
      else head.push('Access-Control-Allow-Headers', requested);
    }
    if (req.headers['access-control-request-private-network'] !== undefined) {
      if (privateNetwork) head.push('Access-Control-Allow-Private-Network', 'true');
      else failures |= PRIVATE_NETWORK;
    }
    if (failures !== 0 && explain.enabled) {
      const method = req.headers['access-control-request-method'] as string | undefined;
      const pna = req.headers['access-control-request-private-network'] !== undefined;
      const why = preflightReason(options, origin, originWhy, method, requested, pna);
      explain.decide(req, 'preflight-refused', why, {
        origin,
        status: 400,
        body: BODIES[failures],
      });
    }
    sendText(res, failures === 0 ? 200 : 400, BODIES[failures]!, head);
  };
}
