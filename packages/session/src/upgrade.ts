/** A WebSocket handshake has no response to carry a cookie (Starlette: loaded, never written). */
export function upgradeWrite(): Error {
  const err = new Error(
    '@mw/session: a session cannot be written on a WebSocket upgrade (the 101 response carries ' +
      'no Set-Cookie); change it in an ordinary HTTP request instead.',
  );
  return Object.assign(err, { code: 'ERR_MW_SESSION_UPGRADE' });
}
