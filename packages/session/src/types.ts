/**
 * The data a session holds. Augment it to type your own fields:
 *
 * @example
 * ```ts
 * declare module '@mw/session' {
 *   interface SessionData {
 *     userId?: string;
 *     cart?: string[];
 *   }
 * }
 * ```
 * Every other key is `unknown`: values must be JSON (strings, numbers, booleans, null,
 * arrays and plain objects), since the session travels as JSON in a cookie.
 */
export interface SessionData {
  [key: string]: unknown;
}

/** Called when a session method has done its work; `err` is set when it could not. */
export type SessionCallback = (err?: Error) => void;

/**
 * The methods every `req.session` has. They are non-enumerable (they live on the prototype),
 * so they never reach the cookie, `JSON.stringify(req.session)` or `Object.keys`, and a data
 * key with a method's name never hides the method (it is kept aside and written back). They exist
 * so code written for express-session, such as passport's login and logout, works unchanged.
 */
export interface SessionMethods {
  /**
   * Replaces `req.session` with a new, empty session (passport calls it on login and logout
   * against session fixation). The browser gets the new cookie with the response.
   */
  regenerate(callback?: SessionCallback): void;
  /**
   * Checks now that the session can be written with the response: `callback` receives the
   * error when it cannot (over the 4096-byte limit, or a value JSON cannot carry). The cookie
   * itself is always written with the response head.
   */
  save(callback?: SessionCallback): void;
  /** Empties the session; a valid incoming cookie is cleared with the response. */
  destroy(callback?: SessionCallback): void;
  /**
   * Sets this session's own lifetime in whole seconds from this response on ("remember me"),
   * for as long as the session lives or until set again; `null` makes it a browser-session
   * cookie. The server enforces it, not only the cookie's `Max-Age`. Same rules as `maxAge`.
   * @throws TypeError when `seconds` is not an integer or `null`.
   */
  setMaxAge(seconds: number | null): void;
}

/** `req.session`: your data plus the non-enumerable {@link SessionMethods}. */
export type Session = SessionData & SessionMethods;

/**
 * What `@mw/session` adds to every request. Declared as a base interface that
 * `IncomingMessage` extends, not as members of it: a program that loads both the CommonJS
 * (.d.ts) and the ESM (.d.mts) declarations would otherwise declare the accessor twice
 * (TS2300 "Duplicate identifier 'session'").
 */
interface SessionRequest {
  /**
   * The request's session, set up by `@mw/session`'s `session()` middleware. Assign an
   * object (or `null`) to replace it; its data is copied.
   */
  get session(): Session;
  set session(value: SessionData | null | undefined);
}

declare module 'http' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface IncomingMessage extends SessionRequest {}
}
