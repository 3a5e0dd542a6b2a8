export { session } from './session';
export type { SessionOptions } from './options';
export type { Session, SessionData, SessionMethods, SessionCallback } from './types';
