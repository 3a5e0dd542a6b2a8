import type { IncomingMessage, ServerResponse } from 'node:http';
import { clip, explainer } from '@mw/core';
import {
  hasNoTransform,
  hasTransferCoding,
  isExcludedType,
  isPassThroughStatus,
} from './eligibility';
import type { GzipConfig } from './options';
import type { GzipState } from './response';

/**
 * `DEBUG=mw:gzip` and the `mw:gzip` diagnostics channel (issue 17), called only behind
 * `explain.enabled`, once per response as its head is decided. Events: `skipped` (not eligible,
 * and which rule), `not-acceptable` (eligible, but `Accept-Encoding` allows none of
 * `encodings`), `compressed` (the encoding chosen, single-shot or streamed).
 */
export const explain = explainer('gzip');

const reqOf = (res: ServerResponse): IncomingMessage | undefined =>
  (res as { req?: IncomingMessage }).req;

/** Which eligibility rule the response failed (mirrors `isEligible`, in its order). */
function skipReason(res: ServerResponse, st: GzipState, config: GzipConfig): string {
  if (st.head) return 'HEAD request';
  if (isPassThroughStatus(res.statusCode))
    return `status ${res.statusCode} has no body to compress`;
  const encoding = res.getHeader('content-encoding');
  if (encoding !== undefined) return `already encoded (Content-Encoding ${clip(encoding)})`;
  if (res.hasHeader('content-range')) return 'a range response (Content-Range)';
  const te = res.getHeader('transfer-encoding');
  if (te !== undefined && hasTransferCoding(te)) {
    return `already transfer-coded (Transfer-Encoding ${clip(te)})`;
  }
  const type = res.getHeader('content-type');
  if (type !== undefined && isExcludedType(type, config.excluded)) {
    return `Content-Type ${clip(type)} is excluded`;
  }
  const cacheControl = res.getHeader('cache-control');
  if (cacheControl !== undefined && hasNoTransform(cacheControl)) {
    return 'Cache-Control: no-transform';
  }
  if (st.single && st.length < config.minimumSize) {
    return `body of ${st.length} bytes is below minimumSize ${config.minimumSize}`;
  }
  if (config.filter !== undefined) return 'the filter option returned false';
  return 'not eligible';
}

export function explainSkip(res: ServerResponse, st: GzipState, config: GzipConfig): void {
  explain.decide(reqOf(res), 'skipped', `skipped: ${skipReason(res, st, config)}`, {
    status: res.statusCode,
  });
}

export function explainNotAcceptable(res: ServerResponse, st: GzipState, config: GzipConfig): void {
  const why =
    st.accept === undefined
      ? 'the request sent no Accept-Encoding'
      : `Accept-Encoding ${clip(st.accept)} accepts none of ${config.encodings.join(', ')}`;
  explain.decide(reqOf(res), 'not-acceptable', `skipped: ${why}`, { status: res.statusCode });
}

export function explainChosen(
  res: ServerResponse,
  st: GzipState,
  encoding: string,
  single: boolean,
): void {
  const how = single ? `single-shot, ${st.length} bytes` : 'streamed';
  explain.decide(reqOf(res), 'compressed', `compressed with ${encoding} (${how})`, {
    encoding,
    status: res.statusCode,
  });
}
