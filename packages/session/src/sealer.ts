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
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Derives the AES-256 key for `secret`: done once per secret, in the factory. */
export function deriveSealKey(secret: string): KeyObject {
  return createSecretKey(
    Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32)),
  );
}

/** Random IVs are drawn 12 at a time from a pool refilled 4 KB at once (one syscall per 341). */
const POOL = Buffer.alloc(IV * 341);
let poolAt = POOL.length;
function freshIv(): Buffer {
  if (poolAt + IV > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += IV;
  return Buffer.from(POOL.subarray(poolAt - IV, poolAt));
}

export class Sealer implements CookieCodec {
  private readonly keys: readonly KeyObject[];
  private readonly aad: Buffer;

  /** `secrets[0]` seals; every secret opens. `name` is the cookie name, bound into the seal. */
  constructor(secrets: readonly string[], name: string) {
    this.keys = secrets.map(deriveSealKey);
    this.aad = Buffer.from(`@mw/session m1 ${name}`, 'latin1');
  }

  sign(json: string, now: number): string {
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(this.aad);
    const stamp = Buffer.alloc(STAMP);
    stamp.writeBigUInt64BE(BigInt(now));
    const body = Buffer.concat([
      iv,
      cipher.update(stamp),
      cipher.update(json, 'latin1'), // pythonJson's output is ASCII
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return SEALED_PREFIX + body.toString('base64url');
  }

  verify(value: string): Verified | undefined {
    if (!value.startsWith(SEALED_PREFIX)) return undefined;
    const text = value.slice(SEALED_PREFIX.length);
    if (!URLSAFE.test(text) || text.length % 4 === 1) return undefined;
    const body = Buffer.from(text, 'base64url');
    // A non-canonical spelling (changed padding bits) is refused, as for signed cookies.
    if (body.length < MIN_BYTES || body.toString('base64url') !== text) return undefined;
    const iv = body.subarray(0, IV);
    const sealed = body.subarray(IV, body.length - TAG);
    const tag = body.subarray(body.length - TAG);
    for (let keyIndex = 0; keyIndex < this.keys.length; keyIndex++) {
      const plain = open(this.keys[keyIndex]!, iv, sealed, tag, this.aad);
      if (!plain) continue;
      const signedAt = Number(plain.readBigUInt64BE(0));
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
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    return null; // wrong key, tampered or truncated: GCM's tag does not verify
  }
}
