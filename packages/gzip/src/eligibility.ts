import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import { headerText, splitList } from '@mw/core';
import type { ExcludedTypes } from './options';

/**
 * Which responses are never compressed, and why:
 * - HEAD: there is no body, and a cache must not store a head that promises an encoding.
 * - 1xx, 204, 304: no body (RFC 9110 sections 15.2, 15.3.5, 15.4.5); 205 must not have one
 *   (section 15.3.6).
 * - 206 and any `Content-Range`: the ranges index the identity body; compressing them breaks
 *   range requests (Starlette #3420, Streamlit #3414).
 * - an existing `Content-Encoding`: the app already encoded it (Starlette #1901).
 * - `Cache-Control: no-transform`: intermediaries must not change the content coding
 *   (RFC 9111 section 5.2.2.6); we treat ourselves the same way.
 * - excluded media types: already compressed formats, and `text/event-stream` (Starlette
 *   #2871) which is usually unflushed by naive proxies when compressed.
 */
export function isPassThroughStatus(status: number): boolean {
  return status < 200 || status === 204 || status === 205 || status === 206 || status === 304;
}

/**
 * Whether the response media type is excluded, Starlette 1.7's way: the part before `;`,
 * trimmed and lower-cased, equals an entry or falls under a `type/*` entry.
 */
export function isExcludedType(value: OutgoingHttpHeader, excluded: ExcludedTypes): boolean {
  const text = headerText(value);
  const semi = text.indexOf(';');
  const type = (semi === -1 ? text : text.slice(0, semi)).trim().toLowerCase();
  if (excluded.exact.has(type)) return true;
  for (const prefix of excluded.prefixes) {
    if (type.startsWith(prefix)) return true;
  }
  return false;
}

/**
 *   Cache-Control   = #cache-directive
 *   cache-directive = token [ "=" ( token / quoted-string ) ]
 *
 * True when one directive is `no-transform` (case-insensitive, RFC 9111 section 5.2).
 */
export function hasNoTransform(value: OutgoingHttpHeader): boolean {
  const text = headerText(value);
  if (text.length < 12) return false;
  for (const item of splitList(text, Infinity) ?? []) {
    if (item.length === 12 && item.toLowerCase() === 'no-transform') return true;
  }
  return false;
}

/**
 *   Transfer-Encoding = #transfer-coding
 *   transfer-coding   = token *( OWS ";" OWS transfer-parameter )
 *
 * True when the app applied a transfer coding of its own besides `chunked` (RFC 9112 section
 * 6.1): its bytes are already transfer-coded, so compressing them again would garble them.
 */
export function hasTransferCoding(value: OutgoingHttpHeader): boolean {
  for (const item of splitList(headerText(value), Infinity) ?? []) {
    const semi = item.indexOf(';');
    const coding = (semi === -1 ? item : item.slice(0, semi)).trim().toLowerCase();
    if (coding !== '' && coding !== 'chunked') return true;
  }
  return false;
}

/**
 * A strong validator no longer identifies the bytes sent once they are compressed (RFC 9110
 * section 8.8.1): `"abc"` becomes `W/"abc"`, so `If-Match` and ranges do not use it.
 */
export function weakenEtag(res: ServerResponse): void {
  const etag = res.getHeader('etag');
  if (typeof etag === 'string' && !etag.startsWith('W/')) res.setHeader('ETag', `W/${etag}`);
}

/**
 * Node adds `Content-Length` by itself when `res.end(body)` writes the head; the single-shot
 * path writes the head first, so it adds the same header itself, under Node's conditions.
 */
export function setIdentityLength(res: ServerResponse, head: boolean, length: number): void {
  const status = res.statusCode;
  if (head || status < 200 || status === 204 || status === 304) return;
  if (res.hasHeader('content-length') || res.hasHeader('transfer-encoding')) return;
  res.setHeader('Content-Length', length);
}
