/**
 * The type of `res.flush()`, which `gzip()` adds to every response it handles. Importing
 * `@mw/gzip` augments Node's `ServerResponse` (and so Express's `Response`, which extends it)
 * with it, so `res.flush()` compiles without a cast (API.md, "gzip additions").
 *
 * The method is declared on a named interface that `ServerResponse` extends, as
 * `@mw/session` does for `req.session`: a program that loads both the CommonJS (.d.ts) and the
 * ESM (.d.mts) declarations then merges two identical bases instead of clashing.
 */
export interface FlushableResponse {
  /**
   * Pushes out everything the compressor holds (`Z_SYNC_FLUSH` for gzip and deflate,
   * `BROTLI_OPERATION_FLUSH` for brotli, `ZSTD_e_flush` for zstd), for server-sent events and
   * long polls. Does nothing when the response is not being compressed. Exists only on
   * responses that passed through `gzip()`.
   */
  flush(): void;
}

declare module 'http' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerResponse extends FlushableResponse {}
}
