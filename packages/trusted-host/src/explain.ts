import type { IncomingMessage } from 'node:http';
import { clip, explainer, formatHost, hostProblem } from '@mw/core';
import type { ParsedHost } from '@mw/core';

/**
 * `DEBUG=mw:trusted-host` and the `mw:trusted-host` diagnostics channel (issue 17), called only
 * behind `explain.enabled`. Events: `host-refused` (a 400, and why: no pattern matches the
 * client's host or a forwarded one, or the host is missing, malformed or disagrees) and
 * `www-redirect`.
 */
export const explain = explainer('trusted-host');

const show = (h: ParsedHost): string => clip(formatHost(h.hostname, h.port));

/**
 * A 400. `hosts` is the request view's list (the request's own `Host` or `:authority` first,
 * then each trusted `X-Forwarded-Host` value), `refused` the ones no pattern allows; both empty
 * when the request names no usable host.
 */
export function explainRefusal(
  req: IncomingMessage,
  hosts: readonly ParsedHost[],
  refused: readonly ParsedHost[],
): void {
  if (hosts.length === 0) {
    explain.decide(req, 'host-refused', `refused host: ${hostProblem(req)}`, { status: 400 });
    return;
  }
  const parts = refused.map(
    (h) => `${h === hosts[0] ? 'Host' : 'X-Forwarded-Host'} ${show(h)} matches no pattern`,
  );
  explain.decide(req, 'host-refused', `refused ${parts.join('; ')} in allowedHosts`, {
    refused: refused.map(show),
    forwarded: refused.some((h) => h !== hosts[0]),
    status: 400,
  });
}

/** The bare host was refused but its `www.` form is allowed: a 307 there. */
export function explainRedirect(req: IncomingMessage, client: ParsedHost, location: string): void {
  const target = location.split('?')[0]!;
  explain.decide(
    req,
    'www-redirect',
    `redirected host ${show(client)} to its www. form: ${clip(target)} (307)`,
    { host: show(client), location: target, status: 307 },
  );
}
