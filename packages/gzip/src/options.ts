import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  functionOption,
  integerOption,
  isToken,
  optionError,
  readOptions,
  rejectUnknownOptions,
  stringArrayOption,
} from '@mw/core';

/**
 * A per-response decision: `false` sends this response uncompressed and without
 * `Vary: Accept-Encoding`. Called with the response's headers set, just before its head is
 * written, and only for a response the built-in rules would compress.
 */
export type GzipFilter = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A content coding `gzip()` can produce. */
export type Encoding = 'gzip' | 'br' | 'deflate' | 'zstd';

/**
 * Options of {@link gzip}. Every option is optional; the defaults are Starlette 1.7's.
 */
export interface GzipOptions {
  /**
   * A single-shot body (`res.end(body)` with no earlier `res.write`) shorter than this many
   * bytes is sent untouched, without `Vary`. Streamed bodies are compressed whatever their
   * size, as in Starlette (#2003).
   * @default 500
   */
  minimumSize?: number;
  /**
   * zlib level, 1 (fastest) to 9 (smallest), for `gzip` and `deflate`.
   * @default 9
   */
  compressLevel?: number;
  /**
   * Response media types that are never compressed: `type/subtype` entries match exactly,
   * `type/*` entries match every subtype; parameters and case are ignored.
   * @default Starlette 1.7's list: application/gzip, application/x-gzip, application/zip,
   * audio/*, font/woff, font/woff2, image/avif, image/gif, image/jpeg, image/png, image/webp,
   * text/event-stream, video/*
   */
  excludeContentTypes?: readonly string[];
  /**
   * The codings the server may use, most preferred first. The client's q-values decide;
   * this order breaks ties. `zstd` is skipped silently where the runtime's zlib lacks it.
   * @default ['gzip']
   */
  encodings?: readonly Encoding[];
  /**
   * Brotli quality, 0 to 11. Quality 11 is 40-250x slower than 4 for under 5% smaller output.
   * @default 4
   */
  brotliQuality?: number;
  /**
   * Decides per response, as `compression`'s `filter` does: return `false` (or any falsy
   * value, as there) to send this response uncompressed, without `Vary: Accept-Encoding`.
   * Runs once per response, just before its head is written (headers set), and only when the
   * built-in rules (status, `Content-Encoding`, excluded types, `minimumSize`, ...) would
   * compress it.
   * @default none (every eligible response is compressed)
   * @example
   * ```ts
   * gzip({ filter: (req) => req.headers['x-no-compression'] === undefined });
   * ```
   */
  filter?: GzipFilter;
}

/** Starlette 1.7's `DEFAULT_EXCLUDED_CONTENT_TYPES`, verbatim order (1.5.0, #3418/#3421). */
export const DEFAULT_EXCLUDED_CONTENT_TYPES: readonly string[] = [
  'application/gzip',
  'application/x-gzip',
  'application/zip',
  'audio/*',
  'font/woff',
  'font/woff2',
  'image/avif',
  'image/gif',
  'image/jpeg',
  'image/png',
  'image/webp',
  'text/event-stream',
  'video/*',
];

const PKG = 'gzip';
const KNOWN = [
  'minimumSize',
  'compressLevel',
  'excludeContentTypes',
  'encodings',
  'brotliQuality',
  'filter',
] as const;
const ENCODINGS: readonly Encoding[] = ['gzip', 'br', 'deflate', 'zstd'];

/** Excluded media types, split for lookup: exact `type/subtype`s and the `type/` prefixes. */
export interface ExcludedTypes {
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
}

/** Validated options, with every default applied. */
export interface GzipConfig {
  minimumSize: number;
  compressLevel: number;
  brotliQuality: number;
  excluded: ExcludedTypes;
  encodings: readonly Encoding[];
  filter: GzipFilter | undefined;
}

/**
 * Validates `options` once, at construction.
 * @throws TypeError naming the option, for unknown names, bad types and out-of-range values.
 */
export function compileOptions(options: GzipOptions | undefined): GzipConfig {
  const opts = readOptions(PKG, options);
  rejectUnknownOptions(PKG, opts, KNOWN);
  return {
    minimumSize: integerOption(PKG, 'minimumSize', opts.minimumSize, 500, { min: 0 }),
    compressLevel: integerOption(PKG, 'compressLevel', opts.compressLevel, 9, { min: 1, max: 9 }),
    brotliQuality: integerOption(PKG, 'brotliQuality', opts.brotliQuality, 4, { min: 0, max: 11 }),
    excluded: compileExcluded(opts.excludeContentTypes),
    encodings: compileEncodings(opts.encodings),
    filter: functionOption<GzipFilter>(PKG, 'filter', opts.filter),
  };
}

function compileExcluded(value: unknown): ExcludedTypes {
  const list = stringArrayOption(PKG, 'excludeContentTypes', value, DEFAULT_EXCLUDED_CONTENT_TYPES);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const entry of list) {
    const type = entry.trim().toLowerCase();
    const slash = type.indexOf('/');
    const main = type.slice(0, slash);
    const sub = type.slice(slash + 1);
    // media-type = type "/" subtype (RFC 9110 section 8.3.1), both tokens; `type/*` as in Accept.
    if (slash === -1 || !isToken(main) || (sub !== '*' && !isToken(sub)) || main === '*') {
      throw optionError(
        PKG,
        'excludeContentTypes',
        `contains ${JSON.stringify(entry)}; use a media type such as "image/png" or "video/*"`,
      );
    }
    if (sub === '*') prefixes.push(`${main}/`);
    else exact.add(type);
  }
  return { exact, prefixes };
}

function compileEncodings(value: unknown): readonly Encoding[] {
  const list = stringArrayOption(PKG, 'encodings', value, ['gzip']);
  if (list.length === 0) {
    throw optionError(PKG, 'encodings', `must list at least one of ${ENCODINGS.join(', ')}`);
  }
  const seen = new Set<string>();
  for (const entry of list) {
    if (!(ENCODINGS as readonly string[]).includes(entry)) {
      throw optionError(
        PKG,
        'encodings',
        `contains unknown encoding ${JSON.stringify(entry)}; use ${ENCODINGS.join(', ')}`,
      );
    }
    if (seen.has(entry)) {
      throw optionError(PKG, 'encodings', `lists ${JSON.stringify(entry)} twice`);
    }
    seen.add(entry);
  }
  return list as readonly Encoding[];
}
