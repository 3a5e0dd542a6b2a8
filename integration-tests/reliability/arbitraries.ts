/**
 * fast-check arbitraries for hostile HTTP requests. Header values use the bytes Node's parser
 * lets through (HTAB, SP, VCHAR and obs-text 0x80-0xFF, sent as latin1), weighted towards the
 * characters the @mw parsers treat specially; a few control bytes are mixed in so Node's own
 * 400 path is exercised too. Each header may be absent, sent once or repeated.
 */
import fc from 'fast-check';

const SPECIAL = [
  ',',
  ';',
  '=',
  '"',
  '\\',
  ' ',
  '\t',
  ':',
  '.',
  '[',
  ']',
  '*',
  '/',
  '@',
  '%',
  '?',
  '#',
];

/** One character of a header value as Node's parser accepts it. */
const headerChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
);

/** Control bytes Node's parser refuses (its own 400): exercised, but rarely. */
const controlChar = fc.oneof(headerChar, fc.constantFrom('\x00', '\x01', '\x7f', '\x1b', '\x0b'));

/** A random header value: short, oversized (a repeated fragment, up to ~12 KB) or with CTLs. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: fc.string({ unit: headerChar, maxLength: 80 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ unit: headerChar, minLength: 1, maxLength: 12 }),
        fc.integer({ min: 100, max: 1000 }),
      )
      .map(([unit, times]) => unit.repeat(times)),
  },
  { weight: 1, arbitrary: fc.string({ unit: controlChar, minLength: 1, maxLength: 20 }) },
);

/** Mixes structured candidates with random text. */
function valueFrom(candidates: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...candidates) },
    { weight: 2, arbitrary: headerValue },
  );
}

/** 0, 1, 2 or 3 lines of a header, each value drawn from `value`. */
function lines(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<[string, string][]> {
  return fc
    .array(value, { maxLength: 3 })
    .map((values) => values.map((v): [string, string] => [name, v]));
}

/** Hosts: allowed ones in odd spellings, attack shapes, and noise. */
export const HOSTS = [
  'example.com',
  'EXAMPLE.com.',
  'example.com:8080',
  'example.com:80',
  'www.example.com',
  'a.example.org',
  'deep.a.example.org:443',
  'example.org',
  'site.test',
  'site.test:81',
  'www.site.test',
  'evil.com',
  'example.com@evil.com',
  'evil.com/x',
  'evil.com\\x',
  'example.com:',
  'example.com:99999',
  'example.com:-1',
  'example.com:80:80',
  'example.com.evil.com',
  'evilexample.com',
  'evil.com#example.com',
  'evil.com?.example.com',
  '%65xample.com',
  '[::1]',
  '[::1]:8080',
  '[::1',
  '::1',
  '[fe80::1%25eth0]',
  '127.0.0.1',
  '',
  ' ',
  'exa mple.com',
  '..example.com',
  '-example.com',
  'a'.repeat(64) + '.example.org',
  'xn--e1afmkfd.example.org',
  'example.com\u00e9',
];

export const ORIGINS = [
  'https://app.example.com',
  'HTTPS://APP.EXAMPLE.COM',
  'https://app.example.com:443',
  'https://app.example.com:444',
  'http://app.example.com',
  'https://app.example.com/',
  'https://app.example.com.',
  'https://app.example.com.evil.com',
  'https://evilapp.example.com',
  'https://a.example.org',
  'https://a.b.example.org',
  'https://example.org',
  'https://a.example.org.evil.com',
  'https://evilexample.org',
  'https://user@a.example.org',
  'https://a.example.org, https://evil.com',
  'null',
  'NULL',
  '*',
  '',
  'https://',
  'https://[::1]',
  'file://',
  'https://a.example.org\u00e9',
];

const METHODS = ['GET', 'POST', 'get', 'PUT', 'DELETE', 'OPTIONS', '', '*', 'GET, POST', 'PATCH'];
const REQUEST_HEADERS = [
  'x-token',
  'X-Token',
  'x-token, content-type',
  'x-token,',
  ',',
  '',
  'x-other',
  '*',
  'x-token, x-token',
];
const PRIVATE_NETWORK = ['true', 'false', '', 'TRUE'];
const ENCODINGS = [
  'gzip',
  'GZIP',
  'x-gzip',
  'gzip;q=0',
  'gzip;q=0.000',
  'gzip;q=1.0001',
  '*',
  '*;q=0',
  'identity',
  'identity;q=0',
  'br, gzip;q=0.5',
  'deflate',
  'gzip;q=abc',
  'gzip, gzip;q=0',
  ';q=1',
  '',
];
const XFP = [
  'https',
  'HTTPS',
  'http',
  'https, http',
  'http, https',
  'httpsX',
  ' https ',
  'https,',
  '',
  'wss',
];
const FORWARDED = [
  'proto=https',
  'proto="https"',
  'for=1.2.3.4;proto=https',
  'proto=http, proto=https',
  'proto=https, proto=http',
  'proto=https;proto=http',
  'PROTO=HTTPS',
  'for="[::1]:80";proto=https',
  ';',
  '',
];
export const COOKIE_SHAPES = [
  'session=',
  'session=null',
  'session="a.b.c"',
  'session=a.b.c',
  'a=b; session',
  '=session',
  'session=\\"',
  ';;;',
  'session=e30=.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA',
];

export const METHOD_ARB = fc.constantFrom(
  'GET',
  'GET',
  'POST',
  'OPTIONS',
  'OPTIONS',
  'HEAD',
  'PUT',
  'DELETE',
);
export const PATH_ARB = fc.constantFrom(
  '/',
  '/a/b?c=d',
  '//evil.com/x',
  '/%2F%2Fevil.com',
  '/a%20b',
  '/\u00e9',
  'http://evil.com/p?q',
  '/?x=https://evil.com',
  '/stream',
);

/** A generated request: method, target and header lines in order. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: [string, string][];
}

export interface FieldSpec {
  host?: boolean;
  origin?: boolean;
  preflight?: boolean;
  encoding?: boolean;
  cookie?: fc.Arbitrary<string>;
  proxy?: boolean;
}

/** Builds a request arbitrary with the header fields in `spec`, each 0-3 times. */
export function hostileRequest(spec: FieldSpec): fc.Arbitrary<HostileRequest> {
  const parts: fc.Arbitrary<[string, string][]>[] = [];
  // Host is sent once most of the time: a missing or repeated Host is a 400 before anything else.
  if (spec.host) {
    parts.push(
      fc.oneof(
        { weight: 6, arbitrary: valueFrom(HOSTS).map((h): [string, string][] => [['Host', h]]) },
        { weight: 1, arbitrary: lines('Host', valueFrom(HOSTS)) },
      ),
    );
  } else {
    parts.push(fc.constant([['Host', 'example.com']]));
  }
  if (spec.origin) parts.push(lines('Origin', valueFrom(ORIGINS)));
  if (spec.preflight) {
    parts.push(lines('Access-Control-Request-Method', valueFrom(METHODS)));
    parts.push(lines('Access-Control-Request-Headers', valueFrom(REQUEST_HEADERS)));
    parts.push(lines('Access-Control-Request-Private-Network', valueFrom(PRIVATE_NETWORK)));
  }
  if (spec.encoding) parts.push(lines('Accept-Encoding', valueFrom(ENCODINGS)));
  if (spec.cookie) parts.push(lines('Cookie', spec.cookie));
  if (spec.proxy) {
    parts.push(lines('X-Forwarded-Proto', valueFrom(XFP)));
    parts.push(lines('Forwarded', valueFrom(FORWARDED)));
    parts.push(lines('X-Forwarded-For', valueFrom(['1.2.3.4', '127.0.0.1, 10.0.0.1', ''])));
  }
  return fc.record({
    method: METHOD_ARB,
    path: PATH_ARB,
    headers: fc.tuple(...parts).map((groups) => groups.flat()),
  });
}

/** The raw request head of a generated request. */
export function headOf(req: HostileRequest): string {
  return [`${req.method} ${req.path} HTTP/1.1`, ...req.headers.map(([n, v]) => `${n}: ${v}`)].join(
    '\r\n',
  );
}

/** The values of field `name` as Node hands them to middleware (OWS trimmed). */
export function sent(req: HostileRequest, name: string): string[] {
  return req.headers
    .filter(([n]) => n.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v.trim());
}
