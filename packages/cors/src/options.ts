import type { IncomingMessage } from 'node:http';
import {
  booleanOption,
  compileTrustProxy,
  functionOption,
  integerOption,
  isToken,
  optionError,
  readOptions,
  rejectUnknownOptions,
  stringArrayOption,
} from '@mw/core';
import type { TrustProxy, TrustSetting } from '@mw/core';
import { compileOriginList, compileOriginRegex } from './origin';
import type { OriginList } from './origin';

/**
 * Decides per request whether `origin` may read the response, for origins a static list cannot
 * hold (tenants in a database). Return or resolve `true` to allow; anything else refuses. A throw
 * or a rejection is passed to `next(err)`: the app does not run and no CORS header is sent, only
 * `Vary: Origin` on the error page.
 *
 * @example
 * ```ts
 * const allowOrigin: AllowOriginFn = async (origin) => tenants.hasOrigin(origin);
 * ```
 */
export type AllowOriginFn = (origin: string, req: IncomingMessage) => boolean | Promise<boolean>;

/**
 * Options of {@link cors}: Starlette's `CORSMiddleware` arguments in camelCase, plus
 * `allowOrigin`. Every option is optional; the object is read once and never modified.
 *
 * @example
 * ```ts
 * const options: CorsOptions = {
 *   allowOrigins: ['https://app.example.com', 'https://*.example.com'],
 *   allowMethods: ['GET', 'POST'],
 *   allowCredentials: true,
 * };
 * ```
 */
export interface CorsOptions {
  /**
   * Origins allowed to read responses: exact origins (`'https://app.example.com'`), leading-label
   * wildcards (`'https://*.example.com'`: subdomains at any depth, same scheme and port, never the
   * apex), `'null'`, or `'*'` for every origin (not with `allowCredentials`).
   * @default []
   */
  allowOrigins?: readonly string[];
  /**
   * A pattern the whole `Origin` must match (it is anchored at both ends). A string is compiled
   * as a JavaScript RegExp; the `g`, `y` and `m` flags of a RegExp are dropped.
   * @default undefined
   */
  allowOriginRegex?: string | RegExp;
  /**
   * A sync or async predicate consulted when neither `allowOrigins` nor `allowOriginRegex` allow
   * the origin (never for `null` or a malformed `Origin`).
   * @default undefined
   */
  allowOrigin?: AllowOriginFn;
  /**
   * Methods a preflight may ask for, compared case-sensitively; `'*'` means exactly
   * `DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT`.
   * @default ['GET']
   */
  allowMethods?: readonly string[];
  /**
   * Request headers a preflight may ask for (case-insensitive). `Accept`, `Accept-Language`,
   * `Content-Language` and `Content-Type` are always allowed; `'*'` mirrors the request.
   * @default []
   */
  allowHeaders?: readonly string[];
  /**
   * Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth).
   * @default false
   */
  allowCredentials?: boolean;
  /**
   * Response headers scripts may read, sent as `Access-Control-Expose-Headers`.
   * @default []
   */
  exposeHeaders?: readonly string[];
  /**
   * Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`); an integer >= 0.
   * @default 600
   */
  maxAge?: number;
  /**
   * Answer Private Network Access preflights (`Access-Control-Request-Private-Network`) with
   * `Access-Control-Allow-Private-Network: true`; when `false` they are refused with 400.
   * @default false
   */
  allowPrivateNetwork?: boolean;
  /**
   * Milliseconds an async `allowOrigin` may take; one that has not settled by then counts as
   * failed and `next(err)` gets an error saying so (the request never hangs on a stuck lookup).
   * An integer from 1 to 2147483647 (the largest delay `setTimeout` keeps).
   * @default 5000
   */
  allowOriginTimeout?: number;
  /**
   * Which proxies to believe about the scheme and host the client used, for one decision only:
   * whether a WebSocket handshake's `Origin` is this server's own (see README "WebSockets").
   * Express's `trust proxy` forms and meaning: `false`, `true`, a hop count, an address, CIDR
   * range or name (`'loopback'`), a comma-separated string or list of them, or
   * `(address, hop) => boolean`.
   * @default the Express app's `trust proxy` setting inside Express, else `false` (handshakes
   * guarded by `upgradeGuard` never pass through Express: set it there)
   */
  trustProxy?: TrustProxy;
}

const KNOWN = [
  'allowOrigins',
  'allowOriginRegex',
  'allowOrigin',
  'allowMethods',
  'allowHeaders',
  'allowCredentials',
  'exposeHeaders',
  'maxAge',
  'allowPrivateNetwork',
  'allowOriginTimeout',
  'trustProxy',
] as const;

/** API.md: `'*'` is exactly these (Starlette 1.7 adds QUERY; our contract does not). */
export const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/** Fetch's CORS-safelisted request headers, always allowed since Starlette 0.13.3. */
export const SAFELISTED_HEADERS = ['Accept', 'Accept-Language', 'Content-Language', 'Content-Type'];

/** The largest delay Node's `setTimeout` honours (a larger one fires after 1 ms). */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** The validated, defaulted options: everything the request path reads. */
export interface ResolvedOptions {
  origins: OriginList;
  regex: RegExp | undefined;
  predicate: AllowOriginFn | undefined;
  /** Allowed methods, in the configured order (`'*'` expanded). */
  methods: readonly string[];
  /** `'*'` was listed in allowHeaders. */
  allHeaders: boolean;
  /** Safelist plus configured headers, de-duplicated, sorted by code point (Starlette). */
  headers: readonly string[];
  credentials: boolean;
  expose: readonly string[];
  maxAge: number;
  privateNetwork: boolean;
  /** Milliseconds an async predicate may take. */
  timeout: number;
  /** The compiled `trustProxy`, for the request view of a WebSocket handshake. */
  trust: TrustSetting;
}

/**
 * Validates `options` without touching them and fills in the defaults.
 *
 * @throws TypeError naming the option and the fix.
 */
export function resolveOptions(input: CorsOptions | undefined): ResolvedOptions {
  const options = readOptions<CorsOptions>('cors', input);
  rejectUnknownOptions('cors', options, KNOWN);
  const credentials = booleanOption('cors', 'allowCredentials', options.allowCredentials, false);
  const origins = compileOriginList(listOption('allowOrigins', options.allowOrigins, []));
  if (origins.all && credentials) {
    // Reflecting every origin with credentials hands any site the user's session: Starlette
    // 1.0 does it (#3137), hono's coercion became CVE-2026-54290.
    throw optionError(
      'cors',
      'allowOrigins',
      "cannot contain '*' when allowCredentials is true (every site could read responses made " +
        "with the user's cookies); list the trusted origins, e.g. ['https://app.example.com'] " +
        "or 'https://*.example.com', or decide per request with the allowOrigin option",
    );
  }
  if (origins.exact.has('null') && credentials) {
    // Every sandboxed iframe, data: URL and file: page sends `Origin: null`: allowing it with
    // credentials hands the user's session to any of them (issue 13 point 8).
    throw optionError(
      'cors',
      'allowOrigins',
      "cannot contain 'null' when allowCredentials is true (any sandboxed iframe or data: page " +
        "sends Origin: null and could read responses made with the user's cookies); list the " +
        'real origins of the pages that need credentials',
    );
  }
  const methods = tokenList('allowMethods', options.allowMethods, ['GET'], 'a method');
  const headers = tokenList('allowHeaders', options.allowHeaders, [], 'a header name');
  return {
    origins,
    regex: compileOriginRegex(options.allowOriginRegex),
    predicate: functionOption<AllowOriginFn>('cors', 'allowOrigin', options.allowOrigin),
    methods: methods.includes('*') ? ALL_METHODS : methods,
    allHeaders: headers.includes('*'),
    headers: [...new Set([...SAFELISTED_HEADERS, ...headers])].sort(),
    credentials,
    expose: tokenList('exposeHeaders', options.exposeHeaders, [], 'a header name'),
    maxAge: integerOption('cors', 'maxAge', options.maxAge, 600, { min: 0 }),
    privateNetwork: booleanOption(
      'cors',
      'allowPrivateNetwork',
      options.allowPrivateNetwork,
      false,
    ),
    timeout: integerOption('cors', 'allowOriginTimeout', options.allowOriginTimeout, 5000, {
      min: 1,
      max: MAX_TIMEOUT,
    }),
    trust: compileTrustProxy('cors', 'trustProxy', options.trustProxy),
  };
}

/** An array of strings, with a hint for the common mistake of passing a single string. */
function listOption(name: string, value: unknown, fallback: readonly string[]): readonly string[] {
  if (typeof value === 'string') {
    throw optionError(
      'cors',
      name,
      `must be an array of strings; wrap the single value in brackets: [${JSON.stringify(value)}]`,
    );
  }
  return stringArrayOption('cors', name, value, fallback);
}

/** A list of RFC 9110 tokens (methods, field names) or `'*'`, one per entry. */
function tokenList(
  name: string,
  value: unknown,
  fallback: readonly string[],
  what: string,
): readonly string[] {
  const list = listOption(name, value, fallback);
  for (const entry of list) {
    if (!isToken(entry)) {
      throw optionError(
        'cors',
        name,
        `entry ${JSON.stringify(entry)} is not ${what}; give one token per entry ` +
          `(e.g. ${name === 'allowMethods' ? "['GET', 'POST']" : "['X-Token', 'Content-Type']"}) or '*'`,
      );
    }
  }
  return list;
}
