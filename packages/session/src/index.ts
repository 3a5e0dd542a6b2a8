export { session } from './session';
export type { SessionOptions } from './options';
export type { Session, SessionData, SessionMethods, SessionCallback } from './types';
export type { SessionStore, StoredSession, StoredCookie } from './store-call';
