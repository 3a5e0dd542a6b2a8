import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import createDebug from 'debug';

/**
 * Explaining decisions (API.md "Explaining decisions", issue 17): each package says why it
 * refused, skipped or rewrote something, once per decision, in two ways at the same time:
 *
 * - `DEBUG=mw:<package>` (or `mw:*`) prints one line through the `debug` package, the one
 *   Express uses, so `DEBUG=express:*,mw:*` works as Express users expect. `DEBUG` is read when
 *   `debug` loads; `require('debug').enable('mw:*')` turns it on later.
 * - the same message is published on the `node:diagnostics_channel` channel `mw:<package>`
 *   for tracing tools, as a {@link Decision}.
 *
 * With neither on, a call site costs one getter read (`explain.enabled`: two cached booleans);
 * the message, and every string in it, is built only behind that check.
 */

/** What is published on the channel `mw:<package>`. Every string is bounded (see {@link clip}). */
export interface Decision {
  /** The package that decided: `'cors'`, `'gzip'`, `'session'`, ... */
  package: string;
  /** A stable, kebab-case name of the decision: `'origin-refused'`, `'skipped'`, ... */
  event: string;
  /** The reason in the user's terms, as printed after `mw:<package> `. */
  reason: string;
  /** The request method, when the decision is about a request. */
  method?: string;
  /** The request path without its query string (which may carry tokens). */
  path?: string;
  /** Event-specific values (an origin, a host, a status): never a secret or a cookie value. */
  [detail: string]: string | number | boolean | readonly string[] | undefined;
}

/** Extra values of a decision, beside `package`, `event`, `reason`, `method` and `path`. */
export type DecisionDetails = Record<
  string,
  string | number | boolean | readonly string[] | undefined
>;

/** A package's voice: check {@link Explainer.enabled} first, then {@link Explainer.decide}. */
export interface Explainer {
  /** The channel name and debug namespace: `mw:<package>`. */
  readonly name: string;
  /** Whether `DEBUG` enables `mw:<package>` or the channel has a subscriber. */
  readonly enabled: boolean;
  /** Prints and publishes one decision; `req` is omitted for decisions made at construction. */
  decide(
    req: IncomingMessage | undefined,
    event: string,
    reason: string,
    details?: DecisionDetails,
  ): void;
}

/** Longest value a decision carries, in characters; longer ones are cut (see {@link clip}). */
export const MAX_VALUE_LENGTH = 120;
const MAX_REASON_LENGTH = 400;

// C0 controls, DEL and C1 controls: a header value must never forge or break a log line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Bounds a client-controlled value for a log line: control characters escaped as `\xNN`, and
 * anything past `max` characters replaced by `…(+N chars)`.
 *
 * @example
 * clip('a'.repeat(200)) // 'aaaa…aaaa…(+80 chars)' (120 kept)
 */
export function clip(value: unknown, max: number = MAX_VALUE_LENGTH): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…(+${text.length - max} chars)` : text;
  return cut.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The request's path without its query string, bounded. */
function requestPath(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return clip(query === -1 ? url : url.slice(0, query));
}

function bounded(details: DecisionDetails): DecisionDetails {
  const out: DecisionDetails = {};
  for (const [key, value] of Object.entries(details)) {
    out[key] =
      typeof value === 'string'
        ? clip(value)
        : Array.isArray(value)
          ? value.map((v: string) => clip(v))
          : value;
  }
  return out;
}

/**
 * The explainer of one package: a `debug` logger and a `diagnostics_channel` channel, both
 * named `mw:<pkg>`. Create it once per module; call {@link Explainer.decide} only after
 * checking {@link Explainer.enabled}.
 *
 * @example
 * ```ts
 * const explain = explainer('cors');
 * if (explain.enabled) explain.decide(req, 'origin-refused', `refused origin ${clip(origin)}: not in allowOrigins`);
 * ```
 */
export function explainer(pkg: string): Explainer {
  const name = `mw:${pkg}`;
  const log = createDebug(name);
  const published = channel(name);
  return {
    name,
    get enabled() {
      return log.enabled || published.hasSubscribers;
    },
    decide(req, event, reason, details = {}) {
      const message: Decision = {
        package: pkg,
        event,
        reason: clip(reason, MAX_REASON_LENGTH),
        ...(req && { method: clip(req.method ?? ''), path: requestPath(req) }),
        ...bounded(details),
      };
      if (published.hasSubscribers) published.publish(message);
      if (log.enabled) {
        // One '%s' argument: a '%o' in a client's path must not be read as a debug formatter.
        log('%s', req ? `${message.reason} (${message.method} ${message.path})` : message.reason);
      }
    },
  };
}
