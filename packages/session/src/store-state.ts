import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendVary, isUpgrade, onBeforeHead, varyFields } from '@mw/core';
import type { NextFunction } from '@mw/core';
import { readCookies, storeSuffix } from './cookie';
import { SessionObject, dataOf, checkAssigned, fill } from './object';
import type { SessionOwner } from './object';
import type { SessionConfig } from './options';
import { checkLifetime } from './state';
import { callStore } from './store-call';
import type { SessionStore, StoredSession } from './store-call';
import { newSessionId, signId, unsignId } from './store-id';
import type { Session, SessionCallback, SessionData } from './types';
import { upgradeWrite } from './upgrade';

const VARY_COOKIE = varyFields('Cookie');
const EMPTY = '{}';
const OPEN = 0;
const WAITING = 1;
const DONE = 2;

type Step = { op: 'set' | 'touch' | 'destroy'; id: string; json: string };
type Queued = [(...args: unknown[]) => unknown, unknown[]];

/**
 * One request's server-side session (`store`): the cookie holds a signed random id, the data
 * live in the store. Loaded before the app runs (the store answers asynchronously); written,
 * touched or destroyed once the app ends the response, and the head is held until the store
 * has acknowledged, so the next request sees the write. Only-when-changed as for cookies.
 */
export class StoreState implements SessionOwner {
  private current: SessionObject = new SessionObject(this);
  /** This session's id: the verified cookie's, or a fresh one once there is data to store. */
  private id: string | undefined;
  /** Whether `id` has an entry in the store. */
  private stored = false;
  /** Whether a stored session was loaded for the request's cookie. */
  private loaded = false;
  /** The data's JSON as the store holds it. */
  private snapshot = EMPTY;
  private lifetime: number | null;
  private lifetimeChanged = false;
  private oldKey = false;
  private accessed = false;
  private sendCookie = false;
  private failedJson: string | undefined;
  private pending: Promise<unknown> | undefined;
  private phase = OPEN;
  private readonly store: SessionStore;
  /** A WebSocket handshake: the stored session is readable, and never written. */
  private readonly upgrade: boolean;

  constructor(
    private readonly config: SessionConfig,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly next: NextFunction,
  ) {
    this.store = config.store!;
    this.lifetime = config.maxAge;
    this.upgrade = isUpgrade(req);
  }

  /** Reads the cookie, loads the stored session, then hands on (or `next(err)`). */
  start(): void {
    const secrets = this.config.secrets;
    const values = readCookies(this.req.headers.cookie, this.config.name);
    let found: { id: string; keyIndex: number } | undefined;
    for (let i = values.length - 1; i >= 0 && i >= values.length - 8 && !found; i--) {
      found = unsignId(values[i]!, secrets);
    }
    if (!found) {
      this.begin();
      return;
    }
    const { id, keyIndex } = found;
    callStore(this.store, 'get', this.config.storeTimeout, id).then(
      (stored) => {
        this.fillFrom(id, keyIndex, stored);
        this.begin();
      },
      (err: unknown) => this.next(err),
    );
  }

  private fillFrom(id: string, keyIndex: number, stored: StoredSession | null | undefined): void {
    if (!stored || typeof stored !== 'object') return;
    const { cookie, ...data } = stored;
    const expires = cookie?.expires ? Date.parse(cookie.expires) : NaN;
    if (expires <= Date.now()) return; // the server enforces the lifetime, not only the store's TTL
    const maxAge = cookie?.originalMaxAge;
    if (maxAge === null) this.lifetime = null;
    else if (typeof maxAge === 'number') this.lifetime = Math.round(maxAge / 1000);
    this.id = id;
    this.stored = true;
    this.loaded = true;
    this.oldKey = keyIndex > 0;
    fill(this.current, data);
    this.snapshot = JSON.stringify(dataOf(this.current));
  }

  /** Installs the head listener and the hold on `writeHead`/`write`/`end`, then hands on. */
  private begin(): void {
    if (this.upgrade) return this.next();
    const res = this.res;
    onBeforeHead(res, () => this.headers());
    const queue: Queued[] = [];
    const hold = (original: (...args: unknown[]) => unknown, returns: unknown) =>
      function held(this: ServerResponse, ...args: unknown[]): unknown {
        if (state.phase === DONE) return original.apply(this, args);
        queue.push([original, args]);
        if (state.phase === OPEN) state.release(queue);
        return returns === true ? true : this;
      };
    const state = this; // eslint-disable-line @typescript-eslint/no-this-alias
    res.writeHead = hold(res.writeHead as never, res) as ServerResponse['writeHead'];
    res.write = hold(res.write as never, true) as ServerResponse['write'];
    res.end = hold(res.end as never, res) as ServerResponse['end'];
    this.next();
  }

  /** The first head or body call: write to the store if needed, then let the response go. */
  private release(queue: Queued[]): void {
    this.phase = WAITING;
    const replay = (): void => {
      this.phase = DONE;
      for (const [fn, args] of queue.splice(0)) fn.apply(this.res, args);
    };
    const step = this.pending ? undefined : this.safePlan();
    if (!this.pending && !step) {
      replay();
      return;
    }
    void Promise.resolve(this.pending)
      .then(() => this.run(step ?? this.safePlan()))
      .then(replay, (err: unknown) => {
        this.phase = DONE;
        this.report(err as Error);
        if (this.res.headersSent) {
          replay();
          return;
        }
        // The head was held: the app's response (body and headers) is dropped and the
        // response becomes the error handler's 500.
        queue.length = 0;
        for (const name of this.res.getHeaderNames()) this.res.removeHeader(name);
        this.next(err);
      });
  }

  /** `plan()` at the end of a request: data that cannot be stored is reported, not written. */
  private safePlan(): Step | undefined {
    try {
      return this.plan();
    } catch (err) {
      this.report(err as Error);
      return undefined;
    }
  }

  /** What the store needs now, if anything. Throws when the data cannot be stored. */
  private plan(fromSave = false): Step | undefined {
    const json = this.json();
    if (json === EMPTY) {
      return this.id !== undefined && this.stored
        ? { op: 'destroy', id: this.id, json }
        : undefined;
    }
    if (json === this.failedJson && !fromSave) return undefined;
    if (json !== this.snapshot || this.lifetimeChanged || !this.stored) {
      return { op: 'set', id: (this.id ??= newSessionId()), json };
    }
    if (this.config.rolling && !fromSave) return { op: 'touch', id: this.id!, json };
    if (this.oldKey) this.sendCookie = true;
    return undefined;
  }

  private async run(step: Step | undefined): Promise<void> {
    if (!step) return;
    const { store } = this;
    const { storeTimeout } = this.config;
    if (step.op === 'destroy') {
      await callStore(store, 'destroy', storeTimeout, step.id);
      this.stored = false;
      this.snapshot = EMPTY;
      return;
    }
    const session = this.storedSession();
    const op = step.op === 'touch' && !store.touch ? 'set' : step.op;
    try {
      await callStore(store, op, storeTimeout, step.id, session);
    } catch (err) {
      this.failedJson = step.json;
      throw err;
    }
    this.stored = true;
    this.snapshot = step.json;
    this.lifetimeChanged = false;
    this.sendCookie = true;
  }

  /** The data's JSON; a `cookie` key is express-session's record in the store, so refused. */
  private json(): string {
    const data = dataOf(this.current);
    if (Object.prototype.hasOwnProperty.call(data, 'cookie')) {
      throw new TypeError('@mw/session: with a store, "cookie" is reserved (the store record)');
    }
    return JSON.stringify(data);
  }

  /** The data (a shallow copy: own keys, `__proto__` included) and express-session's record. */
  private storedSession(): StoredSession {
    const lifetime = this.lifetime;
    return {
      ...dataOf(this.current),
      cookie: {
        ...this.config.storedCookie,
        originalMaxAge: lifetime === null ? null : lifetime * 1000,
        expires: lifetime === null ? null : new Date(Date.now() + lifetime * 1000).toISOString(),
      },
    };
  }

  /** The head listener: `Vary: Cookie` and the cookie to set or clear. */
  private headers(): void {
    const { name, secrets, path } = this.config;
    const { flags, clearing } = this.config.attributes(this.req);
    let line: string | undefined;
    if (this.sendCookie && this.stored && this.id !== undefined) {
      line = `${name}=${signId(this.id, secrets)}${storeSuffix(path, this.lifetime, flags)}`;
    } else if (this.loaded && !this.stored && this.phase === DONE) {
      line = clearing; // the stored session was destroyed or emptied
    }
    if (this.accessed || line !== undefined) appendVary(this.res, VARY_COOKIE);
    if (line !== undefined) this.res.appendHeader('Set-Cookie', line);
  }

  get(): Session {
    this.accessed = true;
    return this.current as unknown as Session;
  }

  set(value: SessionData | null | undefined): void {
    checkAssigned(value);
    this.accessed = true;
    this.current = new SessionObject(this);
    if (value) fill(this.current, value);
  }

  /** Runs `work` as pending store work (the head waits for it) and calls back with its result. */
  private track(work: Promise<unknown>, callback?: SessionCallback): void {
    const settled = work.then(
      () => callback?.(),
      (err: unknown) => (callback ? callback(err as Error) : this.report(err as Error)),
    );
    this.pending = this.pending ? Promise.all([this.pending, settled]) : settled;
  }

  regenerate(callback?: SessionCallback): void {
    if (this.upgrade) {
      // Only this connection's copy starts again: the stored session stays (see upgradeWrite).
      this.current = new SessionObject(this);
      if (callback) process.nextTick(callback, upgradeWrite());
      return;
    }
    const old = this.stored ? this.id : undefined;
    this.current = new SessionObject(this);
    this.id = newSessionId();
    this.stored = false;
    this.snapshot = EMPTY;
    this.lifetime = this.config.maxAge;
    this.lifetimeChanged = false;
    const { storeTimeout } = this.config;
    this.track(
      old ? callStore(this.store, 'destroy', storeTimeout, old) : Promise.resolve(),
      callback,
    );
  }

  destroy(callback?: SessionCallback): void {
    this.regenerate(callback);
  }

  save(callback?: SessionCallback): void {
    if (this.upgrade) {
      if (callback) process.nextTick(callback, upgradeWrite());
      return;
    }
    let step: Step | undefined;
    try {
      step = this.plan(true);
    } catch (err) {
      if (callback) process.nextTick(callback, err as Error);
      return;
    }
    const before = this.pending ?? Promise.resolve();
    this.track(
      before.then(() => this.run(step)),
      callback,
    );
  }

  setMaxAge(seconds: number | null): void {
    this.lifetime = checkLifetime(seconds);
    this.lifetimeChanged = true;
  }

  private report(err: Error): void {
    try {
      this.config.onError(err, this.req);
    } catch (thrown) {
      console.error(err, thrown);
    }
  }
}
