import { parseWeightedList } from '@mw/core';
import type { Codec } from './codecs';

/**
 * `Accept-Encoding` negotiation, RFC 9110 section 12.5.3:
 *
 *   Accept-Encoding  = #( codings [ weight ] )
 *   codings          = content-coding / "identity" / "*"
 *   weight           = OWS ";" OWS "q=" qvalue
 *
 * (parsed linearly by `parseWeightedList` of @mw/core). Rules applied here:
 * - codings are case-insensitive; `x-gzip` is an alias of `gzip` (section 8.4.1.3);
 * - `q=0` means "not acceptable"; `*` gives its weight to every coding not listed;
 * - the highest q wins; the server's `encodings` order breaks ties;
 * - an explicit `identity` with a higher q than every coding wins (the client prefers it);
 * - no header, an empty one, or nothing acceptable: the body goes out uncompressed. That
 *   includes `identity;q=0` with nothing acceptable: no 406, as API.md's "Precise points" say.
 * Starlette instead tests `"gzip" in header`, so `gzip;q=0` got gzip and `*` did not (§4).
 */

/** Distinct `Accept-Encoding` values remembered per middleware; browsers send a handful. */
const CACHE_SIZE = 64;
/** Longer values are negotiated every time rather than kept: a client controls them. */
const CACHE_KEY_LENGTH = 256;

/** Returns the codec to use for an `Accept-Encoding` value, or `undefined` for identity. */
export type Negotiator = (acceptEncoding: string | undefined) => Codec | undefined;

/** Compiles a negotiator for `codecs` (server preference order) with a small bounded cache. */
export function compileNegotiator(codecs: readonly Codec[]): Negotiator {
  // `null` caches "identity", so `undefined` can mean "not cached".
  const cache = new Map<string, Codec | null>();
  return function negotiate(header) {
    if (header === undefined || codecs.length === 0) return undefined;
    const hit = cache.get(header);
    if (hit !== undefined) return hit ?? undefined;
    const chosen = choose(header, codecs);
    if (header.length <= CACHE_KEY_LENGTH) {
      // A bounded cache: never keep an unbounded set of client-controlled strings.
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(header, chosen ?? null);
    }
    return chosen;
  };
}

/** The negotiation itself, uncached. Exported for the table tests. */
export function choose(header: string, codecs: readonly Codec[]): Codec | undefined {
  const items = parseWeightedList(header);
  if (items === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const item of items) {
    const name = item.value === 'x-gzip' ? 'gzip' : item.value;
    // The first mention of a coding counts; a repeat is ignored.
    if (!weights.has(name)) weights.set(name, item.q);
  }
  const star = weights.get('*');
  let best: Codec | undefined;
  let bestQ = 0;
  for (const codec of codecs) {
    const q = weights.get(codec.encoding) ?? star ?? 0;
    if (q > bestQ) {
      best = codec;
      bestQ = q;
    }
  }
  const identity = weights.get('identity');
  if (best !== undefined && identity !== undefined && identity > bestQ) return undefined;
  return best;
}
