/**
 * The clock the signer reads, in whole seconds since the epoch, as itsdangerous's
 * `int(time.time())`. Internal: the tests replace `now` to reproduce Starlette's golden vectors
 * at a fixed time; it is not part of the public API (not re-exported from the index).
 */
export const clock = {
  now(): number {
    return Math.floor(Date.now() / 1000);
  },
};
