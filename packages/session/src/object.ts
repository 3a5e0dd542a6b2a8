import type { SessionCallback } from './types';

/** What `req.session`'s methods act on: the request's cookie or store state. */
export interface SessionOwner {
  regenerate(callback?: SessionCallback): void;
  save(callback?: SessionCallback): void;
  destroy(callback?: SessionCallback): void;
  setMaxAge(seconds: number | null): void;
}

const OWNER = Symbol('@mw/session.owner');
/** Data keys named like a method, kept aside so they never hide it (API.md). */
const SHADOWED = Symbol('@mw/session.shadowed');

/** The method names a data key can never hide. */
export const METHOD_NAMES = ['regenerate', 'save', 'destroy', 'setMaxAge'] as const;

/**
 * `req.session`'s class. Its data are its own enumerable properties. Each method is a
 * non-enumerable accessor on the prototype: reading `req.session.save` gives the method, and
 * assigning `req.session.save = x` (or a cookie holding a `save` key) keeps `x` aside as data,
 * written back unchanged, so passport works whatever keys the session holds (express-session
 * fixed the same bug). `for...in` (passport's `utils-merge`), `Object.keys` and the JSON
 * never see the methods.
 */
export class SessionObject {
  declare [OWNER]: SessionOwner;
  declare [SHADOWED]: Record<string, unknown> | undefined;
  [key: string]: unknown;

  constructor(owner: SessionOwner) {
    Object.defineProperty(this, OWNER, { value: owner });
  }
}

function ownerOf(session: unknown): SessionOwner {
  const owner = (session as Partial<SessionObject> | undefined)?.[OWNER];
  if (!owner) throw new TypeError('@mw/session: call the method on req.session');
  return owner;
}

const METHODS: Record<(typeof METHOD_NAMES)[number], (this: unknown, ...args: never[]) => void> = {
  regenerate(this: unknown, callback?: SessionCallback) {
    ownerOf(this).regenerate(callback);
  },
  save(this: unknown, callback?: SessionCallback) {
    ownerOf(this).save(callback);
  },
  destroy(this: unknown, callback?: SessionCallback) {
    ownerOf(this).destroy(callback);
  },
  setMaxAge(this: unknown, seconds: number | null) {
    ownerOf(this).setMaxAge(seconds);
  },
};

for (const name of METHOD_NAMES) {
  const method = METHODS[name];
  Object.defineProperty(SessionObject.prototype, name, {
    configurable: true,
    enumerable: false,
    get: () => method,
    set(this: SessionObject, value: unknown) {
      if (!Object.prototype.hasOwnProperty.call(this, SHADOWED)) {
        Object.defineProperty(this, SHADOWED, { value: Object.create(null), writable: true });
      }
      this[SHADOWED]![name] = value;
    },
  });
}

/** Copies `data`'s own enumerable keys; `__proto__` (legal JSON) stays a plain data key. */
export function fill(target: SessionObject, data: object): SessionObject {
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
      target[key] = value; // a method name lands in the shadowed keys through the setter
    }
  }
  return target;
}

/**
 * The session's data as one plain object for the JSON: its own keys, then the data keys named
 * like a method. The session itself when there are none (the common case allocates nothing).
 */
export function dataOf(session: SessionObject): object {
  const shadowed = session[SHADOWED];
  if (!shadowed) return session;
  const out: Record<string, unknown> = {};
  fillPlain(out, session);
  fillPlain(out, shadowed);
  return out;
}

function fillPlain(out: Record<string, unknown>, data: object): void {
  for (const key of Object.keys(data)) {
    Object.defineProperty(out, key, {
      value: (data as Record<string, unknown>)[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

/** What `req.session = value` accepts: an object (copied into a fresh session) or null. */
export function checkAssigned(value: unknown): asserts value is object | null | undefined {
  if (
    value !== null &&
    value !== undefined &&
    (typeof value !== 'object' || Array.isArray(value))
  ) {
    throw new TypeError('@mw/session: req.session can only be set to an object or null');
  }
}
