/**
 * The store contract (express-session's `Store`, callback style) and one bounded call into it.
 */

/** The session object handed to a store: the data plus express-session's `cookie` record. */
export interface StoredSession {
  cookie: StoredCookie;
  [key: string]: unknown;
}

/** express-session's `cookie` record: connect-redis reads `expires` for the entry's TTL. */
export interface StoredCookie {
  originalMaxAge: number | null;
  expires: string | null;
  httpOnly: boolean;
  path: string;
  secure: boolean;
  sameSite: string;
  domain?: string;
}

/**
 * Any store written for express-session (connect-redis, connect-mongo, memorystore, ...):
 * `get`, `set` and `destroy`, and optionally `touch`, each answering through a callback.
 */
export interface SessionStore {
  get(sid: string, callback: (err: unknown, session?: StoredSession | null) => void): void;
  set(sid: string, session: StoredSession, callback?: (err?: unknown) => void): void;
  destroy(sid: string, callback?: (err?: unknown) => void): void;
  touch?(sid: string, session: StoredSession, callback?: (err?: unknown) => void): void;
}

type Method = 'get' | 'set' | 'destroy' | 'touch';

/**
 * Calls `store[method](sid, [session,] callback)` and settles with its answer, or fails when it
 * has not answered within `timeout` ms (a stopped Redis with node-redis's offline queue never
 * answers): the request then reaches `next(err)` or `save(cb)` instead of hanging. A throw from
 * the store and a late or second callback are handled too.
 */
export function callStore(
  store: SessionStore,
  method: Method,
  timeout: number,
  sid: string,
  session?: StoredSession,
): Promise<StoredSession | null | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(
        Object.assign(
          new Error(`@mw/session: the session store did not answer ${method} within ${timeout} ms`),
          { code: 'ERR_MW_SESSION_STORE_TIMEOUT' },
        ),
      );
    }, timeout);
    const done = (err?: unknown, value?: StoredSession | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(value);
    };
    try {
      if (method === 'get' || method === 'destroy') {
        (store[method] as (sid: string, cb: typeof done) => void).call(store, sid, done);
      } else {
        store[method]!.call(store, sid, session!, done);
      }
    } catch (err) {
      done(err ?? new Error('store threw'));
    }
  });
}
