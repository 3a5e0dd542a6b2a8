export type { Middleware, NextFunction } from './types';
export { vary, varyFields, mergeVary, appendVary } from './vary';
export type { VaryFields } from './vary';
export { splitList, parseWeightedList, headerText, MAX_LIST_LENGTH } from './list';
export type { WeightedItem } from './list';
export { onBeforeHead, applyWriteHead } from './head';
export type { HeadListener } from './head';
export { parseHost, requestHost, normaliseHostPattern, formatHost } from './host';
export type { ParsedHost } from './host';
export { requestProtocol, isSecure, isEncrypted } from './proxy';
export { compileTrustProxy, resolveTrust } from './trust';
export type { TrustProxy, TrustFn, TrustSetting } from './trust';
export { requestView, requestTarget } from './view';
export type { RequestView } from './view';
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
export { explainer, clip, MAX_VALUE_LENGTH } from './explain';
export type { Decision, DecisionDetails, Explainer } from './explain';
export { hostProblem } from './why';
export { isUpgrade } from './upgrade';
