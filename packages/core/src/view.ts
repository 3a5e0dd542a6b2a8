import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { parseHost, requestHost } from './host';
import type { ParsedHost } from './host';
import { headerText, splitList } from './list';
import { isEncrypted, requestProtocol } from './proxy';
import { resolveTrust } from './trust';
import type { TrustFn, TrustSetting } from './trust';

/**
 * The one view of a request's scheme, host and port that every package reads, so trusted-host,
 * https-redirect, session and cors agree with each other and with the framework behind them.
 */
export interface RequestView {
  /** The scheme the client used: the socket's, or what trusted proxies report. */
  readonly scheme: 'http' | 'https';
  /** `scheme === 'https'`. */
  readonly secure: boolean;
  /**
   * The host the client asked for: the first `X-Forwarded-Host` value when the socket peer is
   * a trusted proxy and sent one, else HTTP/2's `:authority` or HTTP/1.1's `Host`. `undefined`
   * when any host the request names is missing, malformed or disagrees with another.
   */
  readonly host: ParsedHost | undefined;
  /** The port the client used: `host`'s, else the default port of `scheme`. */
  readonly port: number;
  /**
   * Every host the request names that must be allowed (`Host` or `:authority`, then each
   * trusted `X-Forwarded-Host` value), each with its port filled in from its scheme's default.
   * Empty when `host` is `undefined`.
   */
  readonly hosts: readonly ParsedHost[];
  /**
   * The client's address: the socket peer's, or, through trusted proxies, the farthest trusted
   * hop's `X-Forwarded-For` entry. Computed on first read by `proxy-addr`, exactly as Express's
   * `req.ip` is, under the same trust.
   */
  readonly address: string | undefined;
}

interface Hosts {
  host: ParsedHost | undefined;
  port: number;
  hosts: readonly ParsedHost[];
}

/**
 * A {@link RequestView}. The scheme is worked out when the view is made; the hosts on first
 * read of `host`, `port` or `hosts` (https-redirect's secure path never needs them), the
 * address on each read of `address`. Measured: the view must cost next to nothing over reading
 * `Host` alone (BENCHMARKS.md).
 */
class View implements RequestView {
  readonly #req: IncomingMessage;
  readonly #trust: TrustFn;
  #hosts: Hosts | undefined;
  readonly scheme: 'http' | 'https';
  readonly secure: boolean;

  constructor(req: IncomingMessage, trust: TrustFn) {
    this.#req = req;
    this.#trust = trust;
    this.scheme = requestProtocol(req, trust) === 'https' ? 'https' : 'http';
    this.secure = this.scheme === 'https';
  }

  /** Whether this view was made under `trust` (the per-request cache's key). */
  static under(view: View, trust: TrustFn): boolean {
    return view.#trust === trust;
  }

  get host(): ParsedHost | undefined {
    return (this.#hosts ??= resolveHosts(this.#req, this.#trust, this.scheme)).host;
  }

  get port(): number {
    return (this.#hosts ??= resolveHosts(this.#req, this.#trust, this.scheme)).port;
  }

  get hosts(): readonly ParsedHost[] {
    return (this.#hosts ??= resolveHosts(this.#req, this.#trust, this.scheme)).hosts;
  }

  get address(): string | undefined {
    return proxyaddr(this.#req, this.#trust as (address: string, hop: number) => boolean);
  }
}

const VIEW = Symbol('@mw/core.view');
type Cached = IncomingMessage & { [VIEW]?: View };

/**
 * The request's {@link RequestView} under `trust` (a compiled `trustProxy`; `null` defers to
 * the Express app's `trust proxy`). Built once per request and trust, then read from a cache.
 *
 * @example
 * const trust = compileTrustProxy('my-pkg', 'trustProxy', options.trustProxy); // in the factory
 * const { scheme, host, port } = requestView(req, trust); // per request
 */
export function requestView(req: IncomingMessage, setting: TrustSetting): RequestView {
  const trust = resolveTrust(req, setting);
  const cached = (req as Cached)[VIEW];
  if (cached !== undefined && View.under(cached, trust)) return cached;
  const view = new View(req, trust);
  (req as Cached)[VIEW] = view;
  return view;
}

const defaultPort = (scheme: string): number => (scheme === 'https' ? 443 : 80);
const NONE: readonly ParsedHost[] = [];

function resolveHosts(req: IncomingMessage, trust: TrustFn, scheme: string): Hosts {
  const fallback = defaultPort(scheme);
  const own = authority(req);
  if (own === undefined) return { host: undefined, port: fallback, hosts: NONE };
  const forwarded = trust(req.socket.remoteAddress, 0)
    ? headerText(req.headers['x-forwarded-host'])
    : undefined;
  if (forwarded === undefined) {
    if (own.port !== undefined) return { host: own, port: own.port, hosts: [own] };
    return { host: own, port: fallback, hosts: [{ ...own, port: fallback }] };
  }
  // The proxy's own Host describes its hop to us; the forwarded values describe the client's.
  const hosts: ParsedHost[] = [{ ...own, port: own.port ?? (isEncrypted(req) ? 443 : 80) }];
  let client: ParsedHost | undefined;
  for (const value of splitList(forwarded) ?? ['']) {
    const parsed = parseHost(value);
    if (parsed === undefined) return { host: undefined, port: fallback, hosts: NONE };
    client ??= parsed;
    hosts.push({ ...parsed, port: parsed.port ?? fallback });
  }
  return { host: client, port: client!.port ?? fallback, hosts };
}

/**
 * The host this request names on the wire, or `undefined` when it names none, a malformed one,
 * or two that differ: HTTP/2's `:authority` against a `host` header, and an absolute-form target
 * (`GET http://other.example/ HTTP/1.1`) against `Host`. RFC 9112 section 3.2.2 makes the
 * target's authority win over `Host`, and so does `new URL(req.url, base)`, so a disagreement
 * let through would bypass every host check.
 */
function authority(req: IncomingMessage): ParsedHost | undefined {
  let host: ParsedHost | undefined;
  if (req.httpVersionMajor === 2) {
    const pseudo = headerText(req.headers[':authority']);
    host = pseudo === undefined ? undefined : parseHost(pseudo);
    if (pseudo === undefined) return requestHost(req);
    if (host !== undefined && req.headers.host !== undefined) {
      const header = requestHost(req);
      if (header === undefined || !sameHost(host, header, 'https')) return undefined;
    }
    return host;
  }
  host = requestHost(req);
  if (host === undefined) return undefined;
  const target = absoluteTarget(req);
  if (target === undefined) return host;
  const named = parseHost(target.authority);
  return named !== undefined && sameHost(named, host, target.scheme) ? host : undefined;
}

/** Same name, and same port once a missing port is read as the default port of `scheme`. */
function sameHost(a: ParsedHost, b: ParsedHost, scheme: string): boolean {
  if (a.hostname !== b.hostname) return false;
  const fallback =
    scheme === 'https' || scheme === 'wss'
      ? 443
      : scheme === 'http' || scheme === 'ws'
        ? 80
        : undefined;
  return (a.port ?? fallback) === (b.port ?? fallback);
}

/**
 * RFC 9112 section 3.2.2, absolute-form (`absolute-URI = scheme ":" hier-part [ "?" query ]`):
 * the scheme and authority of the request target, when it is in that form. Anchored, no
 * backtracking.
 */
export const ABSOLUTE_FORM = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;

/**
 * The request target as the client sent it: Express, Connect and Polka strip a mount path from
 * `req.url`, while `originalUrl` keeps it.
 */
export function requestTarget(req: IncomingMessage): string {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' ? original : (req.url ?? '/');
}

function absoluteTarget(req: IncomingMessage): { scheme: string; authority: string } | undefined {
  const raw = requestTarget(req);
  if (raw.charCodeAt(0) === 0x2f /* / */) return undefined;
  const match = ABSOLUTE_FORM.exec(raw);
  return match === null ? undefined : { scheme: match[1]!.toLowerCase(), authority: match[2]! };
}
