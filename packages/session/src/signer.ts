import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * itsdangerous's `TimestampSigner` as Starlette uses it (REFERENCE.md 2.3):
 *
 *   cookie-value = payload "." timestamp "." signature
 *   payload      = standard base64 of the JSON, with "=" padding
 *   timestamp    = big-endian seconds, leading zero bytes stripped, URL-safe base64, no padding
 *   signature    = URL-safe base64, no padding, of HMAC-SHA1(key, payload "." timestamp)
 *   key          = SHA1("itsdangerous.Signer" "signer" secret)   (salt + django-concat)
 *
 * The timestamp is inside the signed text, so the expiry cannot be stripped or moved
 * (CVE-2024-31999 was a cookie whose lifetime lived only in an unsigned attribute).
 */

/** Derives itsdangerous's signing key for `secret`: done once per secret, in the factory. */
export function deriveKey(secret: string): Buffer {
  return createHash('sha1')
    .update('itsdangerous.Signer')
    .update('signer')
    .update(secret, 'utf8')
    .digest();
}

/** An HMAC-SHA1 is 20 bytes: 27 URL-safe base64 characters without padding. */
const SIGNATURE_LENGTH = 27;
const URLSAFE = /^[A-Za-z0-9_-]*$/;
/** Standard base64 with padding, as Python's `b64encode` writes it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `int_to_bytes(n)` (8 bytes big-endian, zeros stripped), then URL-safe base64 unpadded. */
export function encodeTimestamp(seconds: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(seconds));
  let start = 0;
  while (start < 8 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('base64url');
}

/** `bytes_to_int(base64_decode(ts))`; `undefined` for text that is not URL-safe base64. */
export function decodeTimestamp(text: string): number | undefined {
  if (!URLSAFE.test(text) || text.length % 4 === 1) return undefined;
  let value = 0;
  for (const byte of Buffer.from(text, 'base64url')) value = value * 256 + byte;
  return value;
}

/** A verified cookie: the JSON text it carries, the key that verified it and when it was made. */
export interface Verified {
  json: string;
  keyIndex: number;
  /** Seconds since the epoch when it was signed (or sealed). */
  signedAt: number;
}

/** How a cookie value is made and checked: signed (Starlette's format) or sealed (`encrypt`). */
export interface CookieCodec {
  /** The cookie value carrying `json` (ASCII), made at `now` seconds by the first key. */
  sign(json: string, now: number): string;
  /** The JSON a cookie value carries, if it verifies under any key; its age is not checked. */
  verify(value: string): Verified | undefined;
}

/**
 * Whether a cookie made at `signedAt` is past `maxAge` seconds at `now`. API.md: a maxAge <= 0
 * makes every incoming cookie expired (Starlette 1.7 still accepts a cookie signed in the same
 * second under max_age=0); a timestamp from the future is refused too; `null` never expires.
 */
export function expired(signedAt: number, maxAge: number | null, now: number): boolean {
  if (maxAge === null) return false;
  const age = now - signedAt;
  return maxAge <= 0 || age < 0 || age > maxAge;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class TimestampSigner implements CookieCodec {
  private readonly keys: readonly Buffer[];
  private lastSecond = -1;
  private lastStamp = '';

  /** `secrets[0]` signs; every secret verifies (key rotation). */
  constructor(secrets: readonly string[]) {
    this.keys = secrets.map(deriveKey);
  }

  /** Signs `json` (ASCII, from `pythonJson`) at `now` seconds. */
  sign(json: string, now: number): string {
    if (now !== this.lastSecond) {
      this.lastSecond = now;
      this.lastStamp = encodeTimestamp(now);
    }
    const text = `${Buffer.from(json, 'latin1').toString('base64')}.${this.lastStamp}`;
    return `${text}.${createHmac('sha1', this.keys[0]!).update(text).digest('base64url')}`;
  }

  /**
   * Verifies `value` as itsdangerous's `unsign(value, max_age)` does, and decodes its payload.
   * `undefined` for anything that is not a signed, unexpired base64 JSON text: the caller starts
   * an empty session.
   */
  unsign(value: string, maxAge: number | null, now: number): Verified | undefined {
    const verified = this.verify(value);
    return verified && !expired(verified.signedAt, maxAge, now) ? verified : undefined;
  }

  /**
   * The signature and format half of `unsign`. The signature is compared as text, in constant
   * time, so a changed padding bit that Python's lenient base64 decoder would ignore is refused.
   */
  verify(value: string): Verified | undefined {
    const sigDot = value.lastIndexOf('.');
    if (sigDot < 0 || value.length - sigDot - 1 !== SIGNATURE_LENGTH) return undefined;
    const text = value.slice(0, sigDot);
    const given = Buffer.from(value.slice(sigDot + 1), 'latin1');
    const keyIndex = this.keys.findIndex((key) =>
      timingSafeEqual(given, Buffer.from(createHmac('sha1', key).update(text).digest('base64url'))),
    );
    if (keyIndex < 0) return undefined;
    const tsDot = text.lastIndexOf('.');
    if (tsDot < 0) return undefined;
    const signedAt = decodeTimestamp(text.slice(tsDot + 1));
    if (signedAt === undefined) return undefined;
    const payload = text.slice(0, tsDot);
    if (!BASE64.test(payload)) return undefined;
    try {
      return { json: UTF8.decode(Buffer.from(payload, 'base64')), keyIndex, signedAt };
    } catch {
      return undefined; // not UTF-8: Python's json.loads would raise too
    }
  }
}
