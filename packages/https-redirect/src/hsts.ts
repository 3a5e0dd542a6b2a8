import type { ServerResponse } from 'node:http';
import {
  booleanOption,
  integerOption,
  onBeforeHead,
  optionError,
  rejectUnknownOptions,
} from '@mw/core';

/** The `hsts` option of `httpsRedirect`: `Strict-Transport-Security` (RFC 6797 section 6.1). */
export interface HstsOptions {
  /**
   * How long, in seconds, the browser must use only HTTPS for this host.
   * @default 31536000 (one year, as helmet)
   */
  maxAge?: number;
  /**
   * Apply the policy to every subdomain too.
   * @default true (as helmet)
   */
  includeSubDomains?: boolean;
  /**
   * Add `preload`, the opt-in for browsers' built-in HSTS lists (hstspreload.org asks for
   * `maxAge` of at least one year and `includeSubDomains`).
   * @default false (as helmet)
   */
  preload?: boolean;
}

const PKG = 'https-redirect';
const KNOWN = ['maxAge', 'includeSubDomains', 'preload'] as const;
const ONE_YEAR = 31536000;

/**
 * Builds the `Strict-Transport-Security` value once, or `undefined` when `hsts` is off.
 *
 *   Strict-Transport-Security = "max-age=" delta-seconds [ ";" "includeSubDomains" ] [ ";" "preload" ]
 *
 * @throws TypeError for anything but `false`, `undefined` or an object of the known keys (so a
 * typo such as `maxage` fails at start-up instead of silently sending the default).
 */
export function hstsHeader(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw optionError(
      PKG,
      'hsts',
      'must be false or an object like { maxAge: 31536000 } ({} for the defaults)',
    );
  }
  const hsts = value as Record<string, unknown>;
  rejectUnknownOptions(PKG, hsts, KNOWN, 'hsts');
  const maxAge = integerOption(PKG, 'hsts.maxAge', hsts.maxAge, ONE_YEAR);
  const includeSubDomains = booleanOption(
    PKG,
    'hsts.includeSubDomains',
    hsts.includeSubDomains,
    true,
  );
  const preload = booleanOption(PKG, 'hsts.preload', hsts.preload, false);
  return `max-age=${maxAge}${includeSubDomains ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`;
}

const HEADER = 'Strict-Transport-Security';
const VALUE = Symbol('@mw/https-redirect.hsts');
type HstsResponse = ServerResponse & { [VALUE]?: string };

/**
 * Puts the policy on a secure response now (the app can read or replace it) and again just
 * before the head if it has gone by then: Koa's error handler (`ctx.onerror`) removes every
 * header already set before it answers, so a `ctx.throw(404)` went out without HSTS, while the
 * other packages' headers, applied at head time, survived. A value the app set itself is kept.
 */
export function setHsts(res: ServerResponse, value: string): void {
  res.setHeader(HEADER, value);
  (res as HstsResponse)[VALUE] = value;
  onBeforeHead(res, restoreHsts);
}

function restoreHsts(res: HstsResponse): void {
  if (!res.hasHeader(HEADER)) res.setHeader(HEADER, res[VALUE]!);
}
