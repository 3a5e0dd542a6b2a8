import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The store mode's cookie: a random session id, signed exactly as express-session signs it
 * (its `cookie-signature` format), so a migrating app keeps its users' sessions when it keeps
 * the secret and the store:
 *
 *   cookie-value = encodeURIComponent( "s:" id "." signature )
 *   signature    = standard base64 of HMAC-SHA256(secret, id), "=" padding removed
 *
 * Written here (ten lines) rather than pulling `cookie-signature` in as a runtime dependency;
 * the signature is compared in constant time, as there.
 */

/** A fresh session id: 24 random bytes, URL-safe (express-session uses `uid-safe(24)`). */
export function newSessionId(): string {
  return randomBytes(24).toString('base64url');
}

function signature(id: string, secret: string): string {
  return createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
}

/** The cookie value for `id`, signed with the first secret. */
export function signId(id: string, secrets: readonly string[]): string {
  return encodeURIComponent(`s:${id}.${signature(id, secrets[0]!)}`);
}

/** The verified id in a cookie value and the index of the secret that verified it. */
export function unsignId(
  value: string,
  secrets: readonly string[],
): { id: string; keyIndex: number } | undefined {
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (!text.startsWith('s:')) return undefined;
  const dot = text.lastIndexOf('.');
  if (dot < 3) return undefined;
  const id = text.slice(2, dot);
  const given = Buffer.from(text.slice(dot + 1));
  for (let keyIndex = 0; keyIndex < secrets.length; keyIndex++) {
    const expected = Buffer.from(signature(id, secrets[keyIndex]!));
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { id, keyIndex };
    }
  }
  return undefined;
}
