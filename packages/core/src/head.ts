import type { OutgoingHttpHeaders, OutgoingHttpHeader, ServerResponse } from 'node:http';

/**
 * Runs listeners just before a response's head is written.
 *
 * `res.writeHead` is wrapped once per response. Node writes an implicit head (from
 * `res.write`, `res.end` or `res.flushHeaders`) by calling `this.writeHead(statusCode)`, so the
 * one wrapper sees every head. Headers passed to `writeHead` are first moved onto the response
 * with `setHeader`/`appendHeader`, so a listener sees (and may change) the full set; the
 * original `writeHead` then gets only the status. The `on-headers` package rebuilt flat header
 * arrays wrongly (CVE-2025-7339); every `writeHead` form is handled here and regression-tested:
 *
 *   writeHead(status)
 *   writeHead(status, headers)                 headers: object | flat array | array of pairs
 *   writeHead(status, statusMessage)
 *   writeHead(status, statusMessage, headers)
 */

/** Called with the response just before its head is written. */
export type HeadListener = (res: ServerResponse) => void;

const LISTENERS = Symbol.for('@mw/core.headListeners');
const ORIGINAL = Symbol.for('@mw/core.writeHead');

type OriginalWriteHead = (
  this: ServerResponse,
  statusCode: number,
  reason?: string,
) => ServerResponse;
type HookedResponse = ServerResponse & {
  [LISTENERS]?: HeadListener[];
  [ORIGINAL]?: OriginalWriteHead;
};
type RawHeaders = OutgoingHttpHeaders | OutgoingHttpHeader[] | readonly unknown[];

/**
 * Registers `listener` to run once, just before `res`'s head is written. Listeners run in
 * reverse order of registration: the middleware registered last (innermost, nearest the app)
 * runs first, as a response travels outwards.
 */
export function onBeforeHead(res: ServerResponse, listener: HeadListener): void {
  const hooked = res as HookedResponse;
  const existing = hooked[LISTENERS];
  if (existing) {
    existing.push(listener);
    return;
  }
  hooked[LISTENERS] = [listener];
  hooked[ORIGINAL] = res.writeHead as OriginalWriteHead;
  // One shared function for every response (no closure per response); its state lives on `res`.
  res.writeHead = hookedWriteHead as ServerResponse['writeHead'];
}

function hookedWriteHead(
  this: HookedResponse,
  statusCode: number,
  ...rest: unknown[]
): ServerResponse {
  const writeHead = this[ORIGINAL]!;
  const listeners = this[LISTENERS]!;
  if (this.headersSent || listeners.length === 0) {
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  }
  const hasReason = applyWriteHead(this, statusCode, rest);
  // Run each listener once, innermost first; a listener added while running also runs.
  while (listeners.length > 0) listeners.pop()!(this);
  return hasReason
    ? writeHead.call(this, this.statusCode, this.statusMessage)
    : writeHead.call(this, this.statusCode);
}

/**
 * Applies the arguments of a `writeHead(statusCode, [statusMessage], [headers])` call to `res`
 * without writing anything: the status code, the status message and every header (any form).
 * Returns whether a status message was given. For middleware that must see or hold back a head.
 */
export function applyWriteHead(
  res: ServerResponse,
  statusCode: number,
  rest: readonly unknown[],
): boolean {
  const [reason, maybeHeaders] = rest;
  let headers = maybeHeaders as RawHeaders | undefined;
  if (typeof reason === 'string') res.statusMessage = reason;
  else if (reason !== undefined && reason !== null) headers = reason as RawHeaders;
  res.statusCode = statusCode;
  if (headers) applyHeaders(res, headers);
  return typeof reason === 'string';
}

/** Moves `writeHead`'s headers onto the response, as Node itself would merge them. */
function applyHeaders(res: ServerResponse, headers: RawHeaders): void {
  if (!Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) res.setHeader(name, value);
    }
    return;
  }
  if (headers.length === 0) return;
  // Array of [name, value] pairs: every pair is appended, duplicates kept (Set-Cookie).
  if (Array.isArray(headers[0])) {
    const replaced = new Set<string>();
    for (const pair of headers as unknown as [string, OutgoingHttpHeader][]) {
      setOrAppend(res, pair[0], pair[1], replaced);
    }
    return;
  }
  // Flat array: name, value, name, value... Node rejects an odd length; so do we.
  if (headers.length % 2 !== 0) {
    throw new TypeError('The argument "headers" must be an array of name/value pairs');
  }
  const replaced = new Set<string>();
  for (let i = 0; i < headers.length; i += 2) {
    setOrAppend(res, String(headers[i]), headers[i + 1] as OutgoingHttpHeader, replaced);
  }
}

/** The first occurrence of a name replaces any `setHeader` value; later ones append. */
function setOrAppend(
  res: ServerResponse,
  name: string,
  value: OutgoingHttpHeader,
  replaced: Set<string>,
): void {
  const key = name.toLowerCase();
  if (replaced.has(key)) {
    res.appendHeader(name, value as string | readonly string[]);
  } else {
    replaced.add(key);
    res.setHeader(name, value);
  }
}
