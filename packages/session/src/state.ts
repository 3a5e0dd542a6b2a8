import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendVary, isUpgrade, onBeforeHead, varyFields } from '@mw/core';
import { clock } from './clock';
import { readCookie } from './cookie';
import {
  explain,
  explainIgnored,
  explainInsecure,
  explainTooLarge,
  missingReason,
  unsignReason,
} from './explain';
import { pythonJson } from './json';
import { cookieAttributes } from './options';
import type { SessionConfig } from './options';
import type { Session, SessionCallback, SessionData } from './types';

/** Browsers keep cookies up to 4096 bytes; the contract counts the whole `Set-Cookie` value. */
export const COOKIE_LIMIT = 4096;
const VARY_COOKIE = varyFields('Cookie');
const EMPTY = '{}';
const STATE = Symbol('@mw/session.state');

/**
 * `req.session`'s class. Its data are its own enumerable properties; the methods live on the
 * prototype, non-enumerable (class methods are), so they never reach the JSON and passport's
 * `utils-merge` (a `for...in` copy) skips them. The request state hides behind a symbol.
 */
class SessionObject {
  declare [STATE]: RequestState;
  [key: string]: unknown;

  constructor(state: RequestState) {
    Object.defineProperty(this, STATE, { value: state });
  }

  regenerate(callback?: SessionCallback): void {
    stateOf(this).replace(undefined);
    if (callback) process.nextTick(callback);
  }

  save(callback?: SessionCallback): void {
    const state = stateOf(this);
    const err = state.upgrade ? upgradeWrite() : state.check();
    if (callback) process.nextTick(callback, err);
  }

  destroy(callback?: SessionCallback): void {
    stateOf(this).replace(undefined);
    if (callback) process.nextTick(callback);
  }
}

function stateOf(session: SessionObject): RequestState {
  const state = (session as Partial<SessionObject> | undefined)?.[STATE];
  if (!state) throw new TypeError('@mw/session: call the method on req.session');
  return state;
}

/** Copies `data`'s own enumerable keys; `__proto__` (legal JSON) stays a plain data key. */
function fill(target: SessionObject, data: object): SessionObject {
  for (const key of Object.keys(data)) {
    const value = (data as Record<string, unknown>)[key];
    if (key === '__proto__') {
      Object.defineProperty(target, key, {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** A WebSocket handshake has no response to carry a cookie (Starlette: loaded, never written). */
function upgradeWrite(): Error {
  const err = new Error(
    '@mw/session: a session cannot be written on a WebSocket upgrade (the 101 response carries ' +
      'no Set-Cookie); change it in an ordinary HTTP request instead.',
  );
  return Object.assign(err, { code: 'ERR_MW_SESSION_UPGRADE' });
}

function tooLarge(size: number): Error {
  const err = new Error(
    `@mw/session: the session cookie would be ${size} bytes, over the ${COOKIE_LIMIT}-byte ` +
      'limit (name, value and attributes); it was not sent and the client keeps its previous ' +
      'cookie. Store less in the session, such as an id whose data lives on the server.',
  );
  return Object.assign(err, { code: 'ERR_MW_SESSION_TOO_LARGE', size, limit: COOKIE_LIMIT });
}

/**
 * One request's session. Nothing is parsed until `req.session` is first touched (the fast
 * path when nobody uses it); the cookie is written just before the head, only when needed.
 */
export class RequestState {
  private current: SessionObject | undefined;
  /** The verified cookie's JSON text: `undefined` when no valid cookie came in. */
  private raw: string | undefined;
  private normalised: string | undefined;
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
    if (
      value !== null &&
      value !== undefined &&
      (typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new TypeError('@mw/session: req.session can only be set to an object or null');
    }
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

  /** Registers the head listener (once), eagerly when rolling or rotating keys. */
  hook(): void {
    if (this.hooked || this.upgrade) return;
    this.hooked = true;
    onBeforeHead(this.res, () => this.commit());
  }

  private load(): SessionObject {
    const session = new SessionObject(this);
    this.current = session;
    const value = readCookie(this.req.headers.cookie, this.config.name);
    if (value === undefined) {
      if (explain.enabled) explainIgnored(this.req, this.config.name, missingReason(this.req));
      return session;
    }
    const verified = this.config.signer.unsign(value, this.config.maxAge, clock.now());
    if (!verified) {
      if (explain.enabled)
        this.ignored(unsignReason(this.config.signer, value, this.config.maxAge, clock.now()));
      return session;
    }
    let data: unknown;
    try {
      data = JSON.parse(verified.json);
    } catch {
      if (explain.enabled) this.ignored('wrong format (the signed payload is not JSON)');
      return session; // Starlette answers 500 here (S20); a bad cookie is an empty session
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      if (explain.enabled) this.ignored('wrong format (the signed JSON is not an object)');
      return session;
    }
    this.raw = verified.json;
    this.oldKey = verified.keyIndex > 0;
    return fill(session, data);
  }

  private ignored(why: string): void {
    explainIgnored(this.req, this.config.name, why);
  }

  /** Whether the data differ from what came in: assignment, or different JSON. */
  private modified(json: string): boolean {
    if (this.assigned) return true;
    if (json === (this.raw ?? EMPTY)) return false;
    // Another writer (Python's float `1.0`, integer-like keys JS orders first) may spell the
    // same data differently: compare with what we would have written for it.
    this.normalised ??= this.raw === undefined ? EMPTY : pythonJson(JSON.parse(this.raw));
    return json !== this.normalised;
  }

  /** `save()`'s check: the error the write would meet, if any. */
  check(): Error | undefined {
    const session = this.current ?? this.load();
    let json: string;
    try {
      json = pythonJson(session) ?? EMPTY;
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
    const { name, signer } = this.config;
    const { storeSuffix } = cookieAttributes(this.config, this.req);
    return `${name}=${signer.sign(json, clock.now())}${storeSuffix}`;
  }

  /** The head listener: `Vary: Cookie`, then the cookie to store or clear, if any. */
  private commit(): void {
    const res = this.res;
    if (this.accessed) appendVary(res, VARY_COOKIE);
    const session = this.current ?? this.load();
    let json: string;
    try {
      json = pythonJson(session) ?? EMPTY;
    } catch (err) {
      this.report(err as Error);
      return;
    }
    if (json === EMPTY) {
      if (this.raw !== undefined && this.modified(json)) {
        res.appendHeader('Set-Cookie', cookieAttributes(this.config, this.req).clearing);
      }
      return;
    }
    if (!this.config.rolling && !this.oldKey && !this.modified(json)) return;
    // Every part is ASCII (validated name, path and domain; base64 value): length = bytes.
    const cookie = this.cookieFor(json);
    if (cookie.length > COOKIE_LIMIT) {
      if (explain.enabled) explainTooLarge(this.req, cookie.length, COOKIE_LIMIT);
      if (json !== this.reported) this.report(tooLarge(cookie.length));
      return;
    }
    if (explain.enabled && this.config.storeSuffix.includes('; secure')) {
      explainInsecure(this.req, this.config.name);
    }
    res.appendHeader('Set-Cookie', cookie);
  }

  private report(err: Error): void {
    try {
      this.config.onError(err, this.req);
    } catch (thrown) {
      console.error(err, thrown); // a throwing onError must not break the response
    }
  }
}

/** Where the per-request state hangs on `req`. */
export const REQUEST_STATE = Symbol('@mw/session.request');
