import type { IncomingMessage } from 'node:http';
import { explainer, requestView } from '@mw/core';
import type { TimestampSigner } from './signer';

/**
 * `DEBUG=mw:session` and the `mw:session` diagnostics channel (issue 17), called only behind
 * `explain.enabled`. Events: `cookie-ignored` (missing, wrong format, bad signature, expired,
 * not a JSON object), `too-large` (not written), `secure-on-plain-http` (a `Secure` cookie sent
 * on a plain-HTTP request: the browser drops it). Never a cookie value or a secret: only the
 * cookie's name and sizes.
 */
export const explain = explainer('session');

/** The session cookie was ignored: the session starts empty. */
export function explainIgnored(req: IncomingMessage, name: string, why: string): void {
  explain.decide(
    req,
    'cookie-ignored',
    `ignored cookie ${name}: ${why}; the session starts empty`,
    {
      cookie: name,
    },
  );
}

/** Why the request has no cookie named `name`. */
export function missingReason(req: IncomingMessage): string {
  return req.headers.cookie === undefined
    ? 'missing (the request has no Cookie header)'
    : 'missing (the request has cookies, but none with this name: check sessionCookie, path and domain)';
}

const SHAPE = /^[^.]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{27}$/;

/** Why `signer.unsign` refused `value` (re-checked without maxAge to tell expiry apart). */
export function unsignReason(
  signer: TimestampSigner,
  value: string,
  maxAge: number | null,
  now: number,
): string {
  if (signer.unsign(value, null, now) !== undefined) {
    return maxAge !== null && maxAge <= 0
      ? 'expired (maxAge <= 0 expires every cookie)'
      : `expired (signed more than maxAge ${maxAge} s ago, or in the future)`;
  }
  if (!SHAPE.test(value)) return 'wrong format (not an itsdangerous payload.timestamp.signature)';
  return 'signature does not verify (signed with another secretKey, or altered)';
}

export function explainTooLarge(req: IncomingMessage, size: number, limit: number): void {
  explain.decide(
    req,
    'too-large',
    `not written: the cookie would be ${size} bytes, over the ${limit}-byte limit; the client keeps its previous cookie`,
    { size, limit },
  );
}

/** A `Secure` cookie on a request the app sees as plain HTTP (Express's `trust proxy` applies). */
export function explainInsecure(req: IncomingMessage, name: string): void {
  if (requestView(req, null).secure) return;
  explain.decide(
    req,
    'secure-on-plain-http',
    `sent cookie ${name} with Secure on a plain-HTTP request: the browser drops it (behind a TLS proxy? set Express's trust proxy)`,
    { cookie: name },
  );
}
