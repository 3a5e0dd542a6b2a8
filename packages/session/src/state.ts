import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendVary, isUpgrade, onBeforeHead, varyFields } from '@mw/core';
import { clock } from './clock';
import { readCookies, storeSuffix } from './cookie';
import {
  explain,
  explainIgnored,
  explainInsecure,
  explainTooLarge,
  missingReason,
  unsignReason,
} from './explain';
import { pythonJson } from './json';
import { SessionObject, dataOf, checkAssigned, fill } from './object';
import type { SessionOwner } from './object';
import type { SessionConfig } from './options';
import { parseJson } from './parse';
import { TimestampSigner, expired } from './signer';
import type { Session, SessionCallback, SessionData } from './types';
import { upgradeWrite } from './upgrade';

/** Browsers keep cookies up to 4096 bytes; the contract counts the whole `Set-Cookie` value. */
export const COOKIE_LIMIT = 4096;
const VARY_COOKIE = varyFields('Cookie');
const EMPTY = '{}';
/**
 * The data key that carries a lifetime set by `setMaxAge` inside the signed or sealed cookie,
 * so the server enforces it (Starlette's format has no other field for it).
 */
export const MAX_AGE_KEY = '_mw_max_age';
/** At most this many same-name cookies are tried (the last first), bounding the HMAC work. */
const MAX_CANDIDATES = 8;

function tooLarge(size: number): Error {
  const err = new Error(
    `@mw/session: the session cookie would be ${size} bytes, over the ${COOKIE_LIMIT}-byte ` +
      'limit (name, value and attributes); it was not sent and the client keeps its previous ' +
      'cookie. Store less in the session, such as an id whose data lives on the server.',
  );
  return Object.assign(err, { code: 'ERR_MW_SESSION_TOO_LARGE', size, limit: COOKIE_LIMIT });
}

/** `setMaxAge`'s argument check: the rules of the `maxAge` option. */
export function checkLifetime(seconds: unknown): number | null {
  if (seconds === null || (typeof seconds === 'number' && Number.isSafeInteger(seconds))) {
    return seconds;
  }
  throw new TypeError('@mw/session: setMaxAge() takes an integer number of seconds, or null');
}

/** A lifetime read back from the cookie's data; `undefined` when absent or not valid. */
function lifetimeIn(data: Record<string, unknown>): number | null | undefined {
  const value = data[MAX_AGE_KEY];
  if (value === null || (typeof value === 'number' && Number.isSafeInteger(value))) return value;
  return undefined;
}

/**
 * One request's session. Nothing is parsed until `req.session` is first touched (the fast
 * path when nobody uses it); the cookie is written just before the head, only when needed.
 */
export class RequestState implements SessionOwner {
  private current: SessionObject | undefined;
  /** The verified cookie's JSON text: `undefined` when no valid cookie came in. */
  private raw: string | undefined;
  private normalised: string | undefined;
  /** This session's own lifetime (`setMaxAge`); `undefined` = the `maxAge` option. */
  private lifetime: number | null | undefined;
  private oldKey = false;
  private accessed = false;
  private assigned = false;
  private hooked = false;
  /** The JSON whose write error `save(cb)` already delivered. */
  private reported: string | undefined;
  /** A WebSocket handshake: the session is readable, and never written. */
  readonly upgrade: boolean;

  constructor(
    private readonly config: SessionConfig,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.upgrade = isUpgrade(req);
  }

  /** The `req.session` getter: a read marks the session accessed (`Vary: Cookie`). */
  get(): Session {
    this.accessed = true;
    this.hook();
    return (this.current ?? this.load()) as unknown as Session;
  }

  /** The `req.session` setter: the data are copied into a fresh session. */
  set(value: SessionData | null | undefined): void {
    checkAssigned(value);
    this.accessed = true;
    this.hook();
    this.replace(value ?? undefined);
  }

  /** Starts again from `data` (or empty): regenerate, destroy and assignment. */
  replace(data: object | undefined): void {
    if (!this.current) this.load();
    this.assigned = true;
    this.current = new SessionObject(this);
    if (data) fill(this.current, data);
  }

  regenerate(callback?: SessionCallback): void {
    this.replace(undefined);
    this.lifetime = undefined;
    if (callback) process.nextTick(callback, this.upgrade ? upgradeWrite() : undefined);
  }

  save(callback?: SessionCallback): void {
    const err = this.upgrade ? upgradeWrite() : this.check();
    if (callback) process.nextTick(callback, err);
  }

  destroy(callback?: SessionCallback): void {
    this.regenerate(callback);
  }

  setMaxAge(seconds: number | null): void {
    this.lifetime = checkLifetime(seconds);
  }

  /** Registers the head listener (once), eagerly when rolling or rotating keys. */
  hook(): void {
    if (this.hooked || this.upgrade) return;
    this.hooked = true;
    onBeforeHead(this.res, () => this.commit());
  }

  private load(): SessionObject {
    const session = new SessionObject(this);
    this.current = session;
    const values = readCookies(this.req.headers.cookie, this.config.name);
    if (values.length === 0) {
      if (explain.enabled) explainIgnored(this.req, this.config.name, missingReason(this.req));
      return session;
    }
    let why: string | undefined; // why the last cookie of the name was refused (DEBUG only)
    // Of several cookies with the name, the last that verifies wins (Starlette: the last).
    for (let i = values.length - 1; i >= 0 && i >= values.length - MAX_CANDIDATES; i--) {
      const verified = this.config.codec.verify(values[i]!);
      let data: unknown;
      try {
        data = verified && parseJson(verified.json);
      } catch {
        why ??= 'wrong format (the signed payload is not JSON)';
        continue; // Starlette answers 500 here (S20); a bad cookie is an empty session
      }
      if (!verified) {
        if (explain.enabled) why ??= this.refusal(values[i]!);
        continue;
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        why ??= 'wrong format (the signed JSON is not an object)';
        continue;
      }
      const lifetime = lifetimeIn(data as Record<string, unknown>);
      const maxAge = lifetime === undefined ? this.config.maxAge : lifetime;
      if (expired(verified.signedAt, maxAge, clock.now())) {
        why ??=
          maxAge !== null && maxAge <= 0
            ? 'expired (maxAge <= 0 expires every cookie)'
            : `expired (signed more than maxAge ${maxAge} s ago, or in the future)`;
        continue;
      }
      this.raw = verified.json;
      this.oldKey = verified.keyIndex > 0;
      this.lifetime = lifetime;
      return fillData(session, data);
    }
    if (explain.enabled) explainIgnored(this.req, this.config.name, why ?? 'does not verify');
    return session;
  }

  /** Why the codec refused `value`, for DEBUG=mw:session. */
  private refusal(value: string): string {
    const { codec, maxAge } = this.config;
    return codec instanceof TimestampSigner
      ? unsignReason(codec, value, maxAge, clock.now())
      : 'does not open (sealed with another secretKey, altered, or not a sealed cookie)';
  }

  /** The JSON to write: the data, then the session's own lifetime when it has one. */
  private jsonOf(session: SessionObject, lifetime = this.lifetime): string {
    const json = pythonJson(dataOf(session)) ?? EMPTY;
    if (json === EMPTY || lifetime === undefined) return json;
    return `${json.slice(0, -1)}, "${MAX_AGE_KEY}": ${lifetime}}`;
  }

  /** Whether the data differ from what came in: assignment, or different JSON. */
  private modified(json: string): boolean {
    if (this.assigned) return true;
    if (json === (this.raw ?? EMPTY)) return false;
    // Another writer (Python's float `1.0`, integer-like keys JS orders first) may spell the
    // same data differently: compare with what we would have written for it.
    if (this.normalised === undefined) {
      const data = this.raw === undefined ? {} : (parseJson(this.raw) as Record<string, unknown>);
      this.normalised = this.jsonOf(fillData(new SessionObject(this), data), lifetimeIn(data));
    }
    return json !== this.normalised;
  }

  /** `save()`'s check: the error the write would meet, if any. */
  check(): Error | undefined {
    const session = this.current ?? this.load();
    let json: string;
    try {
      json = this.jsonOf(session);
    } catch (err) {
      return err as Error;
    }
    if (json === EMPTY) return undefined;
    const size = this.cookieFor(json).length;
    if (size <= COOKIE_LIMIT) return undefined;
    this.reported = json;
    return tooLarge(size);
  }

  private cookieFor(json: string): string {
    const { name, codec, path } = this.config;
    const { flags, storeSuffix: fixed } = this.config.attributes(this.req);
    const suffix = this.lifetime === undefined ? fixed : storeSuffix(path, this.lifetime, flags);
    return `${name}=${codec.sign(json, clock.now())}${suffix}`;
  }

  /** The head listener: `Vary: Cookie`, then the cookie to store or clear, if any. */
  private commit(): void {
    const line = this.cookieLine();
    // Every response carrying the cookie varies on Cookie, touched or not (rolling, rotation).
    if (this.accessed || line !== undefined) appendVary(this.res, VARY_COOKIE);
    if (line !== undefined) this.res.appendHeader('Set-Cookie', line);
  }

  /** The `Set-Cookie` line the session needs, if any. */
  private cookieLine(): string | undefined {
    const session = this.current ?? this.load();
    let json: string;
    try {
      json = this.jsonOf(session);
    } catch (err) {
      this.report(err as Error);
      return undefined;
    }
    if (json === EMPTY) {
      return this.raw !== undefined && this.modified(json)
        ? this.config.attributes(this.req).clearing
        : undefined;
    }
    if (!this.config.rolling && !this.oldKey && !this.modified(json)) return undefined;
    // Every part is ASCII (validated name, path and domain; base64 value): length = bytes.
    const cookie = this.cookieFor(json);
    if (cookie.length <= COOKIE_LIMIT) {
      if (explain.enabled && this.config.attributes(this.req).secure) {
        explainInsecure(this.req, this.config.name);
      }
      return cookie;
    }
    if (explain.enabled) explainTooLarge(this.req, cookie.length, COOKIE_LIMIT);
    if (json !== this.reported) this.report(tooLarge(cookie.length));
    return undefined;
  }

  private report(err: Error): void {
    try {
      this.config.onError(err, this.req);
    } catch (thrown) {
      console.error(err, thrown); // a throwing onError must not break the response
    }
  }
}

/** Fills `session` from cookie data, leaving out the lifetime key (not session data). */
function fillData(session: SessionObject, data: object): SessionObject {
  fill(session, data);
  if (Object.prototype.hasOwnProperty.call(session, MAX_AGE_KEY)) delete session[MAX_AGE_KEY];
  return session;
}

/** Where the per-request state hangs on `req`. */
export const REQUEST_STATE = Symbol('@mw/session.request');
