import type { IncomingMessage } from 'node:http';
import {
  booleanOption,
  compileTrustProxy,
  requestView,
  functionOption,
  integerOption,
  isToken,
  optionError,
  readOptions,
  rejectUnknownOptions,
} from '@mw/core';
import type { TrustProxy, TrustSetting } from '@mw/core';
import { PATH_VALUE, clearingCookie, isDomainValue, securityFlags, storeSuffix } from './cookie';
import { Sealer } from './sealer';
import { TimestampSigner } from './signer';
import type { CookieCodec } from './signer';
import type { SessionStore, StoredCookie } from './store-call';

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
   * `'auto'`: add `secure` when the request came over HTTPS as the shared request view sees it
   * (the socket, or trusted proxies' `Forwarded`/`X-Forwarded-Proto`, through `trustProxy`).
   * `httpsOnly: true` still forces it. @default none
   */
  secure?: 'auto';
  /**
   * Which proxies to believe for `secure: 'auto'`, with the forms and meaning of Express's
   * `trust proxy` setting. @default the Express app's own `trust proxy`, else none
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
   * Any express-session store (connect-redis first): the session then lives on the server and
   * the cookie holds only a signed random id (express-session's cookie format). Not with
   * `encrypt`. @default none (the session lives in the cookie, Starlette's format)
   */
  store?: SessionStore;
  /**
   * Milliseconds a store call may take before it counts as failed (`next(err)` when reading,
   * `save(cb)`/`onError` and a 500 when writing). @default 5000
   */
  storeTimeout?: number;
  /**
   * Seal the cookie with AES-256-GCM (keys derived from `secretKey` with HKDF) instead of
   * signing it: the client can no longer read the session. Not Starlette's format.
   * @default false
   */
  encrypt?: boolean;
  /**
   * Called when a session cannot be written on its own at the end of a request (over the
   * 4096-byte cookie limit, or holding a value JSON cannot carry). The cookie is not sent and
   * the client's previous cookie stays valid. Errors given to `save(cb)` are not repeated here.
   * @default logs the error with `console.error`, once per occurrence
   */
  onError?: (err: Error, req: IncomingMessage) => void;
}

/** The attributes of the cookie as written on one response. */
export interface CookieAttributes {
  /** `httponly; samesite=…` and the rest, as Starlette spells them. */
  readonly flags: string;
  /** `; path=/; Max-Age=…; httponly; samesite=lax…`: appended to `name=value`. */
  readonly storeSuffix: string;
  /** The whole clearing `Set-Cookie` value. */
  readonly clearing: string;
  readonly secure: boolean;
}

/** What the factory compiles the options into; the request path only reads it. */
export interface SessionConfig {
  readonly name: string;
  readonly maxAge: number | null;
  readonly rolling: boolean;
  /** Whether an untouched session must still be looked at (rolling or key rotation). */
  readonly eager: boolean;
  /** Signs (Starlette's format) or seals (`encrypt`) the cookie value. */
  readonly codec: CookieCodec;
  readonly path: string;
  /** The cookie attributes for this request (with `secure` or not, under `secure: 'auto'`). */
  attributes(req: IncomingMessage): CookieAttributes;
  readonly onError: (err: Error, req: IncomingMessage) => void;
  readonly secrets: readonly string[];
  readonly store: SessionStore | undefined;
  readonly storeTimeout: number;
  /** The `cookie` record handed to the store, without the per-write expiry. */
  readonly storedCookie: Omit<StoredCookie, 'originalMaxAge' | 'expires'>;
}

const PKG = 'session';
const KNOWN = [
  'secretKey',
  'sessionCookie',
  'maxAge',
  'path',
  'sameSite',
  'httpsOnly',
  'secure',
  'trustProxy',
  'domain',
  'partitioned',
  'rolling',
  'encrypt',
  'store',
  'storeTimeout',
  'onError',
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

/**
 * Cookie name prefixes (RFC 6265bis section 4.1.3, matched case-insensitively as browsers do):
 * a `__Secure-` cookie without `Secure`, or a `__Host-` cookie without `Secure`, with a `Domain`
 * or with a path other than `/`, is silently dropped by the browser.
 */
function checkPrefix(name: string, httpsOnly: boolean, path: string, domain?: string): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('__host-')) {
    if (!httpsOnly || path !== '/' || domain !== undefined) {
      throw optionError(
        PKG,
        'sessionCookie',
        `"${name}" (a __Host- name) requires httpsOnly: true, path "/" and no domain ` +
          '(browsers drop it otherwise)',
      );
    }
  } else if (lower.startsWith('__secure-') && !httpsOnly) {
    throw optionError(
      PKG,
      'sessionCookie',
      `"${name}" (a __Secure- name) requires httpsOnly: true (browsers drop it otherwise)`,
    );
  }
}

function storeOption(value: unknown): SessionStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Partial<SessionStore> | null;
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.destroy !== 'function'
  ) {
    throw optionError(
      PKG,
      'store',
      'must be an express-session store: an object with get, set and destroy methods',
    );
  }
  return store as SessionStore;
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
  checkPrefix(name, httpsOnly, path, domain);
  const encrypt = booleanOption(PKG, 'encrypt', o.encrypt, false);
  const store = storeOption(o.store);
  if (store && encrypt) {
    throw optionError(
      PKG,
      'encrypt',
      'cannot be used with "store": the cookie then holds only a signed id, the data stay on the server',
    );
  }
  const storeTimeout = integerOption(PKG, 'storeTimeout', o.storeTimeout, 5000, {
    min: 1,
    max: 2147483647,
  });
  const onError =
    functionOption<(err: Error, req: IncomingMessage) => void>(PKG, 'onError', o.onError) ??
    defaultOnError;
  if (o.secure !== undefined && o.secure !== 'auto') {
    throw optionError(PKG, 'secure', 'must be "auto" (use httpsOnly: true to always add secure)');
  }
  const trust = compileTrustProxy(PKG, 'trustProxy', o.trustProxy);
  const attributesFor = (secure: boolean): CookieAttributes => {
    const flags = securityFlags(sameSite, secure, domain, partitioned);
    return {
      flags,
      storeSuffix: storeSuffix(path, maxAge, flags),
      clearing: clearingCookie(name, path, flags),
      secure,
    };
  };
  const plain = attributesFor(httpsOnly);
  const secured = attributesFor(true);
  const auto = o.secure === 'auto' && !httpsOnly;
  return {
    name,
    maxAge,
    rolling,
    eager: rolling || secrets.length > 1,
    codec: encrypt ? new Sealer(secrets, name) : new TimestampSigner(secrets),
    path,
    attributes: auto ? (req) => autoAttributes(req, trust, plain, secured) : () => plain,
    onError,
    secrets,
    store,
    storeTimeout,
    storedCookie: {
      httpOnly: true,
      path,
      secure: httpsOnly,
      sameSite,
      ...(domain === undefined ? {} : { domain }),
    },
  };
}

/**
 * `secure: 'auto'`: the `Secure` attributes when the request came over HTTPS as core's request
 * view sees it (TLS, or a trusted proxy's report).
 */
function autoAttributes(
  req: IncomingMessage,
  trust: TrustSetting,
  plain: CookieAttributes,
  secured: CookieAttributes,
): CookieAttributes {
  try {
    return requestView(req, trust).secure ? secured : plain;
  } catch {
    // A throwing trustProxy function (reported by the packages that run first): leaking the
    // cookie over plain HTTP is worse than a session that does not come back, so keep Secure.
    return secured;
  }
}
