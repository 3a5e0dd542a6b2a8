/**
 * A WebSocket handshake has no response to carry a cookie (Starlette: loaded, never written), so
 * `save`, `regenerate` and `destroy` there change nothing lasting: not the cookie, not the store.
 */
export function upgradeWrite(): Error {
  const err = new Error(
    '@mw/session: a session cannot be written on a WebSocket upgrade (the 101 response carries ' +
      'no Set-Cookie, and nothing is stored or destroyed); change it, log in or log out in an ' +
      'ordinary HTTP request instead.',
  );
  return Object.assign(err, { code: 'ERR_MW_SESSION_UPGRADE' });
}
