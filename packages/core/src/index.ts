export type { Middleware, NextFunction } from './types';
export { vary, varyFields, mergeVary, appendVary } from './vary';
export type { VaryFields } from './vary';
export { splitList, parseWeightedList, headerText, MAX_LIST_LENGTH } from './list';
export type { WeightedItem } from './list';
export { onBeforeHead, applyWriteHead } from './head';
export type { HeadListener } from './head';
export { parseHost, requestHost, normaliseHostPattern, formatHost } from './host';
export type { ParsedHost } from './host';
export { compileTrust, requestProtocol, isSecure, isEncrypted } from './proxy';
export type { TrustProxy, TrustFn } from './proxy';
export { sendText, sendRedirect, quoteTarget, redirectTarget } from './respond';
export {
  optionError,
  readOptions,
  rejectUnknownOptions,
  booleanOption,
  integerOption,
  stringArrayOption,
  functionOption,
  isToken,
} from './options';
export type { IntegerBounds } from './options';
export { tagMiddleware, middlewareKind, MIDDLEWARE_KIND, MIDDLEWARE_ORDER } from './tag';
export type { MiddlewareKind } from './tag';
export { isUpgrade } from './upgrade';
