import type { IncomingMessage } from 'node:http';
import { clip } from './explain';
import { parseHost, requestHost } from './host';
import { headerText } from './list';

/**
 * Why {@link requestView} found no host (`view.host === undefined`), in the user's terms, for
 * `DEBUG=mw:*` lines. Only called while explaining, so it may re-read the headers.
 */
export function hostProblem(req: IncomingMessage): string {
  const pseudo = headerText(req.headers[':authority']);
  const host = req.headers.host;
  if (host === undefined && pseudo === undefined) return 'no Host header';
  if (host !== undefined && requestHost(req) === undefined) {
    return parseHost(host) === undefined
      ? `Host ${clip(host)} is malformed`
      : 'several Host headers';
  }
  if (pseudo !== undefined && parseHost(pseudo) === undefined) {
    return `:authority ${clip(pseudo)} is malformed`;
  }
  const forwarded = headerText(req.headers['x-forwarded-host']);
  if (
    forwarded !== undefined &&
    forwarded.split(',').some((v) => parseHost(v.trim()) === undefined)
  ) {
    return `X-Forwarded-Host ${clip(forwarded)} from a trusted proxy is malformed`;
  }
  return (
    `the hosts the request names disagree (Host ${clip(host ?? pseudo)} against ` +
    `the target ${clip((req as { originalUrl?: string }).originalUrl ?? req.url ?? '')} or :authority)`
  );
}
