import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomFillSync,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CookieCodec, Verified } from './signer';

/**
 * Sealed cookies (`encrypt: true`): AES-256-GCM, so the client can neither read nor change the
 * session. Versioned, so the format can change without misreading old cookies:
 *
 *   cookie-value = "m1." sealed
 *   sealed       = URL-safe base64, no padding, of  iv(12) ciphertext tag(16)
 *   plaintext    = issued-at(8, big-endian seconds) JSON(UTF-8)
 *   aad          = "@mw/session m1 " cookie-name        (a cookie cannot move to another name)
 *   key          = HKDF-SHA256(ikm = secret, salt = "", info = "@mw/session aes-256-gcm m1", 32)
 *
 * A signed Starlette cookie (three dot-separated parts, no `m1.` prefix) never opens as sealed,
 * and a sealed one never verifies as signed. Key rotation as for signing: the first key seals,
 * every key opens (GCM's tag tells them apart), and the index of the key that opened it is
 * returned so an old-key cookie is re-sealed. A fresh random 96-bit IV per cookie.
 */
export const SEALED_PREFIX = 'm1.';
const INFO = '@mw/session aes-256-gcm m1';
const IV = 12;
const TAG = 16;
const STAMP = 8;
/** The shortest sealed value: IV, an 8-byte timestamp, 2 bytes of JSON (`{}`) and the tag. */
const MIN_BYTES = IV + STAMP + 2 + TAG;
const URLSAFE = /^[A-Za-z0-9_-]+$/;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GCM = { authTagLength: TAG } as const;

/** Derives the AES-256 key for `secret`: done once per secret, in the factory. */
export function deriveSealKey(secret: string): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32)),
  );
}

/** Random IVs are drawn 12 at a time from a pool refilled 4 KB at once (one syscall per 341). */
const POOL = Buffer.alloc(IV * 341);
let poolAt = POOL.length;
/** Copies a fresh IV into `out` at 0 and returns a view of it. */
function freshIv(out: Buffer): Buffer {
  if (poolAt + IV > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  POOL.copy(out, 0, poolAt, (poolAt += IV));
  return out.subarray(0, IV);
}

/**
 * Whether `text` (URL-safe base64 characters only) is the one spelling of its bytes: its length
 * is possible and the bits past the last byte are zero, as Node's encoder writes them. Otherwise
 * a changed padding bit would open as the same cookie under another value.
 */
function canonical(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = BASE64URL.indexOf(text[text.length - 1]!);
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/*
 * The hot path is lean on purpose (issue 15's benchmark: within 1.2x of the signed cookie): one
 * output buffer, one update per direction, the timestamp written as two 32-bit halves and no
 * re-encoding to check the spelling. Each call into a cipher crosses into C++, and a cipher
 * object costs more than the HMAC a signed cookie needs, so the calls are kept to the minimum.
 */
export class Sealer implements CookieCodec {
  private readonly keys: readonly KeyObject[];
  private readonly aad: Buffer;

  /** `secrets[0]` seals; every secret opens. `name` is the cookie name, bound into the seal. */
  constructor(secrets: readonly string[], name: string) {
    this.keys = secrets.map(deriveSealKey);
    this.aad = Buffer.from(`@mw/session m1 ${name}`, 'latin1');
  }

  sign(json: string, now: number): string {
    const length = STAMP + json.length; // pythonJson's output is ASCII: one byte per character
    const out = Buffer.allocUnsafe(IV + length + TAG);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, freshIv(out), GCM);
    cipher.setAAD(this.aad);
    const plain = Buffer.allocUnsafe(length);
    plain.writeUInt32BE(Math.floor(now / 0x1_0000_0000), 0);
    plain.writeUInt32BE(now >>> 0, 4);
    plain.write(json, STAMP, 'latin1');
    cipher.update(plain).copy(out, IV);
    cipher.final(); // GCM is a stream mode: final() adds no bytes, it makes the tag
    cipher.getAuthTag().copy(out, IV + length);
    return SEALED_PREFIX + out.toString('base64url');
  }

  verify(value: string): Verified | undefined {
    if (!value.startsWith(SEALED_PREFIX)) return undefined;
    const text = value.slice(SEALED_PREFIX.length);
    if (!URLSAFE.test(text) || !canonical(text)) return undefined;
    const body = Buffer.from(text, 'base64url');
    if (body.length < MIN_BYTES) return undefined;
    const iv = body.subarray(0, IV);
    const sealed = body.subarray(IV, body.length - TAG);
    const tag = body.subarray(body.length - TAG);
    for (let keyIndex = 0; keyIndex < this.keys.length; keyIndex++) {
      const plain = open(this.keys[keyIndex]!, iv, sealed, tag, this.aad);
      if (!plain) continue;
      const signedAt = plain.readUInt32BE(0) * 0x1_0000_0000 + plain.readUInt32BE(4);
      try {
        return { json: UTF8.decode(plain.subarray(STAMP)), keyIndex, signedAt };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

function open(key: KeyObject, iv: Buffer, sealed: Buffer, tag: Buffer, aad: Buffer): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, GCM);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = decipher.update(sealed);
    decipher.final(); // throws unless the tag verifies; adds no bytes
    return plain;
  } catch {
    return null; // wrong key, tampered or truncated: GCM's tag does not verify
  }
}
