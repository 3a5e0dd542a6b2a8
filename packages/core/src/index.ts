// For users writing their own middleware (README "API", first table).
export type { Middleware, NextFunction } from './types';
export { vary, varyFields, mergeVary, appendVary } from './vary';
export type { VaryFields } from './vary';
export { onBeforeHead } from './head';
export type { HeadListener } from './head';
export { requestView } from './view';
export type { RequestView } from './view';
export { compileTrustProxy, resolveTrust } from './trust';
export type { TrustProxy, TrustFn, TrustSetting } from './trust';
export { parseHost, formatHost } from './host';
export type { ParsedHost } from './host';
export { isUpgrade } from './upgrade';
export { explainer } from './explain';
export type { Decision, DecisionDetails, Explainer } from './explain';

// Plumbing the collection's own packages share (README "API", second table): it follows the
// packages and may change in any minor version.
export { splitList, parseWeightedList, headerText, MAX_LIST_LENGTH } from './list';
export type { WeightedItem } from './list';
export { applyWriteHead } from './head';
export { requestHost, normaliseHostPattern } from './host';
export { requestTarget } from './view';
export { hostProblem } from './why';
export { requestProtocol, isSecure, isEncrypted } from './proxy';
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
export {
  tagMiddleware,
  middlewareKind,
  middlewareKinds,
  MIDDLEWARE_KIND,
  MIDDLEWARE_ORDER,
} from './tag';
export type { MiddlewareKind } from './tag';
export { clip, MAX_VALUE_LENGTH } from './explain';
