/**
 * The integrity checks the gzip and zlib trailers carry, computed here because the resumable
 * compressor (see `resumable.ts`) writes those trailers itself. CRC-32 comes from
 * `zlib.crc32` where Node has it (20.15+, 22.2+); older runtimes use the table version below
 * (RFC 1952 section 8). Node exports no Adler-32, so it is computed here (RFC 1950 section 9).
 */

/** A running checksum: `update(data, previous)` returns the new value. */
export type Checksum = (data: Uint8Array, previous: number) => number;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 (ISO 3309, the gzip one) in plain JavaScript, for runtimes without `zlib.crc32`. */
export function crc32Table(data: Uint8Array, previous: number): number {
  const t = (table ??= crcTable());
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** `zlib.crc32` when the runtime has it, else {@link crc32Table}. */
export function pickCrc32(
  native: ((data: Uint8Array, value?: number) => number) | undefined,
): Checksum {
  return typeof native === 'function' ? (data, previous) => native(data, previous) : crc32Table;
}

/** Largest n such that 255 n (n + 1) / 2 + (n + 1) (65521 - 1) < 2^32 (zlib's NMAX). */
const NMAX = 5552;

/** Adler-32 (RFC 1950 section 9), the check value of the zlib format (HTTP `deflate`). */
export function adler32(data: Uint8Array, previous: number): number {
  let a = previous & 0xffff;
  let b = previous >>> 16;
  let i = 0;
  while (i < data.length) {
    const end = Math.min(i + NMAX, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
