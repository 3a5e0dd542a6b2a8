import type { IncomingMessage } from 'node:http';
import {
  booleanOption,
  compileTrustProxy,
  functionOption,
  isToken,
  optionError,
  readOptions,
  rejectUnknownOptions,
  requestView,
} from '@mw/core';
import type { TrustProxy, TrustSetting } from '@mw/core';
import { PATH_VALUE, clearingCookie, isDomainValue, securityFlags, storeSuffix } from './cookie';
import { TimestampSigner } from './signer';

/**
 * Options of {@link session}. Names follow Starlette's `SessionMiddleware` in camelCase.
 *
 * @example
 * ```ts
 * session({ secretKey: [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!] });
 * ```
 */
export interface SessionOptions {
  /**
   * The secret the cookie is signed with (Starlette's `secret_key`). A list rotates keys: the
   * first signs, every one verifies, and a cookie verified by an older key is re-signed with the
   * first on that response. Required; never empty.
   */
  secretKey: string | readonly string[];
  /** The cookie name: an RFC 6265 token. @default 'session' */
  sessionCookie?: string;
  /**
   * The lifetime in whole seconds, checked inside the signature and written as `Max-Age`.
   * `null` writes no `Max-Age` (a browser-session cookie) and skips the age check; `0` writes
   * no `Max-Age` either, and a value <= 0 makes every incoming cookie expired (as Starlette).
   * @default 1209600 (14 days)
   */
  maxAge?: number | null;
  /** The cookie's `path`, starting with `/`. @default '/' */
  path?: string;
  /** The cookie's `samesite` attribute. `'none'` requires `httpsOnly: true`. @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Adds `secure`: the browser then sends the cookie over HTTPS only. @default false */
  httpsOnly?: boolean;
  /**
   * `'auto'`: add `secure` when the request came over HTTPS, directly or through a trusted
   * TLS-terminating proxy (see `trustProxy`), as express-session's `cookie.secure: 'auto'`.
   * `httpsOnly: true` still adds it to every cookie.
   * @default none (only `httpsOnly` decides)
   */
  secure?: 'auto';
  /**
   * Which proxies to believe about the request's scheme for `secure: 'auto'`, with the forms and
   * meaning of Express's `trust proxy` (`false`, `true`, a hop count, addresses, CIDR ranges or
   * `'loopback'`/`'linklocal'`/`'uniquelocal'`, a comma-separated string or a list, or a
   * function `(address, hop) => boolean`).
   * @default the Express app's `trust proxy` setting inside Express, else `false`
   */
  trustProxy?: TrustProxy;
  /** The cookie's `domain` attribute (a host name, a leading `.` allowed). @default undefined */
  domain?: string;
  /** Adds `partitioned` (CHIPS); requires `httpsOnly: true`. @default false */
  partitioned?: boolean;
  /**
   * Re-issue the cookie (a fresh timestamp, so a sliding expiry) on every response while the
   * session is non-empty, whether or not the request touched it (Starlette < 1.0). @default false
   */
  rolling?: boolean;
  /**
   * Called when a session cannot be written on its own at the end of a request (over the
   * 4096-byte cookie limit, or holding a value JSON cannot carry). The cookie is not sent and
   * the client's previous cookie stays valid. Errors given to `save(cb)` are not repeated here.
   * @default logs the error with `console.error`, once per occurrence
   */
  onError?: (err: Error, req: IncomingMessage) => void;
}

/** What the factory compiles the options into; the request path only reads it. */
export interface SessionConfig {
  readonly name: string;
  readonly maxAge: number | null;
  readonly rolling: boolean;
  /** Whether an untouched session must still be looked at (rolling or key rotation). */
  readonly eager: boolean;
  readonly signer: TimestampSigner;
  /** `; path=/; Max-Age=…; httponly; samesite=lax…`: appended to `name=value`. */
  readonly storeSuffix: string;
  /** The whole clearing `Set-Cookie` value. */
  readonly clearing: string;
  /**
   * With `secure: 'auto'` (and no `httpsOnly`): the compiled trust and the two attribute
   * strings with `; secure` added, for requests that came over HTTPS. Else `undefined`.
   */
  readonly auto: { trust: TrustSetting; storeSuffix: string; clearing: string } | undefined;
  readonly onError: (err: Error, req: IncomingMessage) => void;
}

const PKG = 'session';
const KNOWN = [
  'secretKey',
  'sessionCookie',
  'maxAge',
  'path',
  'sameSite',
  'httpsOnly',
  'domain',
  'partitioned',
  'rolling',
  'onError',
  'secure',
  'trustProxy',
] as const;
const SAME_SITE = ['lax', 'strict', 'none'];

function defaultOnError(err: Error): void {
  console.error(err);
}

function secretsOption(value: unknown): readonly string[] {
  const list: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  if (list.length === 0 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    throw optionError(
      PKG,
      'secretKey',
      'is required: a non-empty string, or a non-empty list of them (the first signs)',
    );
  }
  return [...(list as string[])];
}

function stringOption(name: string, value: unknown, fallback: string, valid: boolean): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !valid) {
    const rule =
      name === 'path'
        ? 'must start with "/" and hold no control character or ";" (RFC 6265 path-value)'
        : name === 'domain'
          ? 'must be a host name such as "example.com" or ".example.com" (RFC 6265 domain-value)'
          : 'must be a cookie name: an RFC 6265 token, without spaces, "=" or ";"';
    throw optionError(PKG, name, rule);
  }
  return value;
}

function maxAgeOption(value: unknown): number | null {
  if (value === undefined) return 1209600;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw optionError(PKG, 'maxAge', 'must be an integer number of seconds, or null');
  }
  return value;
}

/** Validates `options` and compiles them; throws `TypeError` naming the bad option. */
export function resolveOptions(options: SessionOptions): SessionConfig {
  const o = readOptions<Partial<SessionOptions>>(PKG, options);
  rejectUnknownOptions(PKG, o, KNOWN);
  const secrets = secretsOption(o.secretKey);
  const name = stringOption(
    'sessionCookie',
    o.sessionCookie,
    'session',
    typeof o.sessionCookie === 'string' && isToken(o.sessionCookie),
  );
  const maxAge = maxAgeOption(o.maxAge);
  const path = stringOption(
    'path',
    o.path,
    '/',
    typeof o.path === 'string' && PATH_VALUE.test(o.path),
  );
  const domain =
    o.domain === undefined
      ? undefined
      : stringOption(
          'domain',
          o.domain,
          '',
          typeof o.domain === 'string' && isDomainValue(o.domain),
        );
  const sameSite = o.sameSite ?? 'lax';
  if (!SAME_SITE.includes(sameSite)) {
    throw optionError(PKG, 'sameSite', 'must be "lax", "strict" or "none"');
  }
  const httpsOnly = booleanOption(PKG, 'httpsOnly', o.httpsOnly, false);
  const partitioned = booleanOption(PKG, 'partitioned', o.partitioned, false);
  const rolling = booleanOption(PKG, 'rolling', o.rolling, false);
  // Browsers reject `SameSite=None` and `Partitioned` cookies without `Secure`: the session
  // would silently never come back, so say so now rather than write what Starlette writes (S28).
  if (sameSite === 'none' && !httpsOnly) {
    throw optionError(PKG, 'sameSite', '"none" requires httpsOnly: true (browsers drop it)');
  }
  if (partitioned && !httpsOnly) {
    throw optionError(PKG, 'partitioned', 'requires httpsOnly: true (browsers drop it)');
  }
  const onError =
    functionOption<(err: Error, req: IncomingMessage) => void>(PKG, 'onError', o.onError) ??
    defaultOnError;
  if (o.secure !== undefined && o.secure !== 'auto') {
    throw optionError(PKG, 'secure', 'must be "auto" (httpsOnly: true always adds Secure)');
  }
  const trust = compileTrustProxy(PKG, 'trustProxy', o.trustProxy);
  const flags = securityFlags(sameSite, httpsOnly, domain, partitioned);
  const secureFlags = securityFlags(sameSite, true, domain, partitioned);
  return {
    name,
    maxAge,
    rolling,
    eager: rolling || secrets.length > 1,
    signer: new TimestampSigner(secrets),
    storeSuffix: storeSuffix(path, maxAge, flags),
    clearing: clearingCookie(name, path, flags),
    auto:
      o.secure === 'auto' && !httpsOnly
        ? {
            trust,
            storeSuffix: storeSuffix(path, maxAge, secureFlags),
            clearing: clearingCookie(name, path, secureFlags),
          }
        : undefined,
    onError,
  };
}

/**
 * The cookie attributes for this request: with `secure: 'auto'`, the `secure` ones when the
 * request came over HTTPS as core's request view sees it (TLS, or a trusted proxy's report).
 */
export function cookieAttributes(
  config: SessionConfig,
  req: IncomingMessage,
): { storeSuffix: string; clearing: string } {
  const { auto } = config;
  if (auto === undefined) return config;
  try {
    return requestView(req, auto.trust).secure ? auto : config;
  } catch {
    // A throwing trustProxy function (reported by the packages that run first): leaking the
    // cookie over plain HTTP is worse than a session that does not come back, so keep Secure.
    return auto;
  }
}
