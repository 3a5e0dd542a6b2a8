import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { optionError } from './options';

/**
 * Which proxies to believe, with the forms and meaning of Express's `trust proxy` setting:
 * - `false` (or `0`): none; only the socket counts.
 * - `true`: every hop.
 * - a number `n`: the `n` hops nearest the server.
 * - an address, CIDR range or one of `'loopback'`, `'linklocal'`, `'uniquelocal'`, a
 *   comma-separated string of them, or a list of them: hops at those addresses.
 * - a function `(address, hop) => boolean`: the hops it accepts (hop 0 is the socket peer).
 */
export type TrustProxy =
  boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean);

/** A compiled trust decision: is hop `hop`, at `address` (when known), a trusted proxy? */
export type TrustFn = (address: string | undefined, hop: number) => boolean;

/**
 * A compiled `trustProxy` option: a {@link TrustFn}, or `null` when the option was not given,
 * meaning "the Express app's own `trust proxy` setting when there is one, else nobody".
 */
export type TrustSetting = TrustFn | null;

const TRUST_NONE: TrustFn = () => false;
const TRUST_ALL: TrustFn = () => true;
const FORMS =
  "must be a boolean, a hop count >= 0, an address, CIDR range or name ('loopback', " +
  "'linklocal', 'uniquelocal'), a comma-separated string or a list of them, or a function";

/**
 * Compiles a `trustProxy` option once, in the factory. Strings and lists go through
 * `proxy-addr`, the library Express compiles its own `trust proxy` with, so one setting means
 * the same thing to the app and to @mw.
 *
 * @throws TypeError naming `pkg` and `option` for any other value.
 */
export function compileTrustProxy(pkg: string, option: string, value: unknown): TrustSetting {
  if (value === undefined) return null;
  if (value === false) return TRUST_NONE;
  if (value === true) return TRUST_ALL;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw optionError(pkg, option, FORMS);
    const hops = value;
    return hops === 0 ? TRUST_NONE : (_address, hop) => hop < hops;
  }
  if (typeof value === 'function') return userTrust(value as (a: string, hop: number) => boolean);
  if (typeof value === 'string' || isStringList(value)) return addressTrust(pkg, option, value);
  throw optionError(pkg, option, FORMS);
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * A user's function needs the hop's address; with none reported, the chain stops there. An IPv4
 * peer of a dual-stack server shows up as `::ffff:10.0.0.1`: the function sees `10.0.0.1`.
 */
function userTrust(fn: (address: string, hop: number) => boolean): TrustFn {
  return (address, hop) =>
    address !== undefined &&
    address !== '' &&
    fn(address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address, hop) ===
      true;
}

function addressTrust(pkg: string, option: string, value: string | readonly string[]): TrustFn {
  // Express splits a string on commas itself before handing it to proxy-addr.
  const list = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : [...value];
  let compiled: (address: string, hop: number) => boolean;
  try {
    compiled = proxyaddr.compile(list);
  } catch (err) {
    throw optionError(pkg, option, `${FORMS}; ${(err as Error).message}`);
  }
  return (address, hop) => address !== undefined && address !== '' && compiled(address, hop);
}

/** The slice of an Express request that names the app's compiled `trust proxy` setting. */
interface ExpressRequest {
  app?: { get?: (name: string) => unknown };
}

/**
 * The trust that holds for `req`: the compiled option, or when it was not given, the Express
 * app's `trust proxy fn` (`req.app` is set by Express for every request it routes), else none.
 */
export function resolveTrust(req: IncomingMessage, setting: TrustSetting): TrustFn {
  if (setting !== null) return setting;
  const app = (req as ExpressRequest).app;
  if (app === undefined) return TRUST_NONE; // not inside Express: the common fast path
  const fn = typeof app?.get === 'function' ? app.get('trust proxy fn') : undefined;
  if (typeof fn !== 'function') return TRUST_NONE;
  let trust = fromApp.get(fn);
  if (trust === undefined) {
    const express = fn as (address: string, hop: number) => boolean;
    trust = (address, hop) => address !== undefined && address !== '' && express(address, hop);
    fromApp.set(fn, trust);
  }
  return trust;
}

/** One wrapper per app setting, so resolving costs a lookup, not a closure per request. */
const fromApp = new WeakMap<object, TrustFn>();
