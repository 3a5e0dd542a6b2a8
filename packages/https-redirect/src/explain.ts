import type { IncomingMessage } from 'node:http';
import { clip, explainer, hostProblem } from '@mw/core';

/**
 * `DEBUG=mw:https-redirect` and the `mw:https-redirect` diagnostics channel (issue 17), called
 * only behind `explain.enabled`. Events: `redirected` (where to, and that a plain-HTTP answer
 * never carries HSTS), `host-refused` (a 400 instead of a `Location` built from a bad host),
 * `hsts-added` and `hsts-not-added` on secure requests.
 */
export const explain = explainer('https-redirect');

/** The redirect: `location` is logged without its query, which may carry tokens. */
export function explainRedirect(req: IncomingMessage, location: string, status: number): void {
  const query = location.indexOf('?');
  const shown = query === -1 ? location : `${location.slice(0, query)}?…`;
  explain.decide(
    req,
    'redirected',
    `redirected plain HTTP to ${clip(shown)} (${status}); no HSTS on plain HTTP (RFC 6797 section 7.2)`,
    { location: shown, status },
  );
}

export function explainBadHost(req: IncomingMessage): void {
  explain.decide(req, 'host-refused', `refused to redirect: ${hostProblem(req)}`, { status: 400 });
}

/** A secure request: HSTS added (the header value) or not (the option is off). */
export function explainSecure(req: IncomingMessage, hsts: string | undefined): void {
  if (hsts === undefined) {
    explain.decide(
      req,
      'hsts-not-added',
      'no redirect (secure request); HSTS not added: the hsts option is off',
    );
  } else {
    explain.decide(req, 'hsts-added', `no redirect (secure request); HSTS added: ${hsts}`, {
      hsts,
    });
  }
}
