import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { headerText, splitList } from './list';
import type { TrustFn } from './trust';

/** Whether the connection to this server is TLS. */
export function isEncrypted(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true;
}

/**
 * The protocol the client used, lower-cased: the socket's own, or, when the socket peer is a
 * trusted proxy, the one reported by the farthest hop in an unbroken chain of trusted proxies.
 *
 * Hops are read from `X-Forwarded-Proto` (with addresses from `X-Forwarded-For`), or, when that
 * header is absent, from `Forwarded` (RFC 7239 `proto=` and `for=`). Entries are appended by
 * each proxy, so the rightmost was written by hop 0; a client can prepend anything it likes, and
 * only trusted hops' entries are believed. Express instead takes the leftmost value as soon as
 * the first hop is trusted, which lets a client behind one proxy choose its own protocol.
 */
export function requestProtocol(req: IncomingMessage, trust: TrustFn | undefined): string {
  const own = isEncrypted(req) ? 'https' : 'http';
  if (!trust || !trust(req.socket.remoteAddress, 0)) return own;
  const hops = forwardedHops(req);
  if (hops === undefined || hops.protos.length === 0) return own;
  const { protos, addresses } = hops;
  let proto = protos[protos.length - 1]!;
  for (let hop = 1; hop < protos.length; hop++) {
    // The address of hop `hop` was reported by hop `hop - 1`.
    const address = addresses[addresses.length - hop];
    if (!trust(address, hop)) break;
    proto = protos[protos.length - 1 - hop]!;
  }
  return proto.toLowerCase();
}

/** Whether the client's connection was TLS, directly or through trusted proxies. */
export function isSecure(req: IncomingMessage, trust: TrustFn | undefined): boolean {
  return requestProtocol(req, trust) === 'https';
}

interface Hops {
  protos: string[];
  addresses: string[];
}

function forwardedHops(req: IncomingMessage): Hops | undefined {
  const xfp = headerText(req.headers['x-forwarded-proto']);
  if (xfp !== undefined) {
    const protos = splitList(xfp);
    if (protos === undefined || protos.includes('')) return undefined;
    const xff = headerText(req.headers['x-forwarded-for']);
    return { protos, addresses: (xff !== undefined && splitList(xff)) || [] };
  }
  const forwarded = headerText(req.headers.forwarded);
  return forwarded === undefined ? undefined : parseForwarded(forwarded);
}

/**
 * RFC 7239 section 4:
 *
 *   Forwarded         = 1#forwarded-element
 *   forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
 *   forwarded-pair    = token "=" value
 *
 * An element without `proto=` ends the chain there (its hop's protocol is unknown).
 */
function parseForwarded(value: string): Hops | undefined {
  const elements = splitList(value);
  if (elements === undefined) return undefined;
  const protos: string[] = [];
  const addresses: string[] = [];
  for (const element of elements) {
    let proto = '';
    let address = '';
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      const key = pair.slice(0, eq).trim().toLowerCase();
      const val = unquote(pair.slice(eq + 1).trim());
      if (key === 'proto') proto = val;
      else if (key === 'for') address = nodeAddress(val);
    }
    protos.push(proto);
    addresses.push(address);
  }
  // Keep only the trailing run of elements that state a protocol.
  let first = protos.length;
  while (first > 0 && protos[first - 1] !== '') first--;
  return { protos: protos.slice(first), addresses: addresses.slice(first) };
}

/** `for=` node (RFC 7239 section 6): drops IPv6 brackets and a port, as X-Forwarded-For has none. */
function nodeAddress(node: string): string {
  if (node.startsWith('[')) {
    const close = node.indexOf(']');
    return close === -1 ? node : node.slice(1, close);
  }
  const colon = node.indexOf(':');
  return colon !== -1 && colon === node.lastIndexOf(':') ? node.slice(0, colon) : node;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value;
}
