/**
 * ReDoS / super-linear parsing: every parser that reads a client header must handle a header at
 * Node's maximum header size, and 100 KB strings when called directly or behind a server whose
 * `maxHeaderSize` was raised, in a bounded number of milliseconds. A linear scan of 100 KB takes
 * well under a millisecond; the bounds below leave room for a loaded 2-core CI machine while
 * still catching quadratic behaviour (a quadratic 100 KB scan costs seconds, not milliseconds).
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import {
  compileTrustProxy,
  parseHost,
  parseWeightedList,
  requestProtocol,
  splitList,
  MAX_LIST_LENGTH,
} from '@mw/core';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { frameworks } from '../support/frameworks';
import { buildHead, medianMs, rawRequest, serve } from './support';

const KB100 = 100 * 1024;
/** Direct calls on 100 KB: linear work is ~1 ms; the bound allows a loaded machine. */
const DIRECT_BOUND_MS = 50;
/** One loopback request carrying a 100 KB header, parse and answer included. */
const REQUEST_BOUND_MS = 250;

/** `unit` repeated up to `length` characters. */
function fill(unit: string, length = KB100, prefix = ''): string {
  return prefix + unit.repeat(Math.ceil((length - prefix.length) / unit.length));
}

/** Pathological shapes for list / parameter / quoted-string scanners. */
const SHAPES: readonly [string, string][] = [
  ['many commas', fill(',')],
  ['many spaces', fill(' ')],
  ['comma-space runs', fill(' , ')],
  ['many semicolons', fill(';')],
  ['q parameters', fill(';q=1')],
  ['semicolon-space runs', fill(' ; ')],
  ['nested quotes', fill('"\\"')],
  ['equals signs', fill('=')],
  ['tokens and weights', fill('gzip;q=0.5, ')],
  ['one long token', fill('a')],
  ['tabs and commas', fill('\t,')],
];

function fakeRequest(headers: Record<string, string>): IncomingMessage {
  return {
    headers,
    rawHeaders: Object.entries(headers).flat(),
    socket: { remoteAddress: '127.0.0.1', encrypted: false },
  } as unknown as IncomingMessage;
}

describe('core parsers called directly with 100 KB strings', () => {
  it.each(SHAPES)('splitList(value, Infinity) scans %s in bounded time', (_name, value) => {
    expect(medianMs(() => splitList(value, Infinity))).toBeLessThan(DIRECT_BOUND_MS);
  });

  it.each(SHAPES)('splitList(value) refuses %s at once (length bound)', (_name, value) => {
    expect(splitList(value)).toBeUndefined();
    expect(medianMs(() => splitList(value))).toBeLessThan(1);
  });

  it.each(SHAPES)('parseWeightedList(value, Infinity) scans %s in bounded time', (_name, value) => {
    expect(medianMs(() => parseWeightedList(value, Infinity))).toBeLessThan(DIRECT_BOUND_MS);
  });

  it.each([
    ...SHAPES,
    ['dotted labels', fill('a.')],
    ['colons', fill(':')],
    ['brackets', fill('[::1]')],
    ['IPv6 groups', fill('0:', KB100, '[')],
  ])('parseHost(value) rejects %s in bounded time', (_name, value) => {
    expect(parseHost(value)).toBeUndefined();
    expect(medianMs(() => parseHost(value))).toBeLessThan(DIRECT_BOUND_MS);
  });

  it.each([
    ['X-Forwarded-Proto commas', { 'x-forwarded-proto': fill('https,') }],
    [
      'X-Forwarded-Proto at the list bound',
      { 'x-forwarded-proto': fill('https,', MAX_LIST_LENGTH - 6) },
    ],
    ['X-Forwarded-For huge', { 'x-forwarded-proto': 'https', 'x-forwarded-for': fill('1.2.3.4,') }],
    ['Forwarded pairs', { forwarded: fill('proto=https;for=1.2.3.4;') }],
    ['Forwarded elements at the bound', { forwarded: fill('proto=https,', MAX_LIST_LENGTH - 12) }],
    ['Forwarded semicolons', { forwarded: fill(';', MAX_LIST_LENGTH) }],
    ['Forwarded quotes', { forwarded: fill('for="[', MAX_LIST_LENGTH) }],
    ['Forwarded equals', { forwarded: fill('=', MAX_LIST_LENGTH) }],
  ])('requestProtocol(req, trust) reads %s in bounded time', (_name, headers) => {
    const req = fakeRequest(headers);
    for (const trust of [
      compileTrustProxy('t', 'trustProxy', true)!,
      compileTrustProxy('t', 't', 3)!,
    ]) {
      expect(['http', 'https']).toContain(requestProtocol(req, trust));
      expect(medianMs(() => requestProtocol(req, trust))).toBeLessThan(DIRECT_BOUND_MS);
    }
  });
});

describe('session(options) reading a 100 KB Cookie header directly', () => {
  const mw = session({ secretKey: 'secret', rolling: true });
  it.each([
    ['many pairs', fill('a=b; ', KB100, 'session=x; ')],
    ['many quotes', fill('"', KB100, 'session=')],
    ['escaped octals in quotes', `session="${fill('\\012', KB100 - 10)}"`],
    ['many spaces', fill(' ', KB100, 'session=')],
    ['many equals', fill('=', KB100, 'session=')],
    ['repeated session pairs', fill('session=abc.def.ghi;', KB100)],
    // Chunks without '=' made each chunk search the rest of the header: O(n^2) until 52d8f5e.
    ['semicolons without "="', fill(';', KB100, 'session')],
    ['"a;" chunks after one pair', fill('a;', KB100, 'session=x;')],
    ['400 KB of semicolons', fill(';', 4 * KB100, 'session')],
  ])('parses %s in bounded time', (_name, cookie) => {
    const run = (): void => {
      const req = fakeRequest({ cookie });
      const res = new http.ServerResponse(req);
      mw(req, res, () => {
        expect(Object.keys(req.session)).toEqual([]);
      });
    };
    expect(medianMs(run, 3)).toBeLessThan(DIRECT_BOUND_MS);
  });
});

/** Header fields a 100 KB value is sent in, with the middleware that reads each. */
const HEAVY: readonly [string, string, string][] = [
  ['Origin (cors)', 'Origin', fill('a', KB100, 'https://')],
  ['Origin of labels (cors)', 'Origin', fill('a.', KB100, 'https://')],
  ['Access-Control-Request-Headers commas (cors)', 'Access-Control-Request-Headers', fill(',')],
  ['Access-Control-Request-Headers tokens (cors)', 'Access-Control-Request-Headers', fill('x-a, ')],
  ['Access-Control-Request-Method (cors)', 'Access-Control-Request-Method', fill('G')],
  [
    'Access-Control-Request-Private-Network (cors)',
    'Access-Control-Request-Private-Network',
    fill('true,'),
  ],
  ['Accept-Encoding weights (gzip)', 'Accept-Encoding', fill('gzip;q=0.5, ')],
  ['Accept-Encoding semicolons (gzip)', 'Accept-Encoding', fill(';')],
  ['Accept-Encoding commas (gzip)', 'Accept-Encoding', fill(',')],
  ['Cookie pairs (session)', 'Cookie', fill('a=b; ', KB100, 'session=x; ')],
  ['Cookie quotes (session)', 'Cookie', fill('"', KB100, 'session=')],
  ['X-Forwarded-Proto (https-redirect)', 'X-Forwarded-Proto', fill('https, ')],
  ['Forwarded (https-redirect)', 'Forwarded', fill('proto=https;for=x, ')],
];

describe('the full stack() behind a server with maxHeaderSize 128 KiB', () => {
  let port: number;
  let close: () => Promise<void>;
  const payload = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i })) });

  beforeAll(async () => {
    const fw = frameworks.find((f) => f.name === 'node:http')!;
    const listener = fw.create(
      [
        stack(
          trustedHost({ allowedHosts: ['example.com'] }),
          httpsRedirect({ trustProxy: true }),
          cors({
            allowOrigins: ['https://app.example.com', 'https://*.example.org'],
            allowMethods: ['GET', 'POST'],
            allowHeaders: ['x-a'],
            allowCredentials: true,
          }),
          gzip(),
          session({ secretKey: 'secret' }),
        ),
      ],
      (req, res) => {
        const visits = Number(req.session.visits ?? 0);
        req.session.visits = visits + 1;
        res.setHeader('Content-Type', 'application/json');
        res.end(payload);
      },
    );
    ({ port, close } = await serve(listener, { maxHeaderSize: 128 * 1024 }));
  });
  afterAll(() => close());

  it.each(HEAVY)('answers a 100 KB %s in bounded time', async (_name, field, value) => {
    const preflight = field.startsWith('Access-Control-Request');
    const headers: [string, string][] = [
      ['Host', 'example.com'],
      ['X-Forwarded-Proto', 'https'],
    ];
    if (preflight) headers.push(['Origin', 'https://app.example.com']);
    if (preflight) headers.push(['Access-Control-Request-Method', 'GET']);
    const others = headers.filter(([n]) => n !== field);
    const head = buildHead(preflight ? 'OPTIONS / HTTP/1.1' : 'GET / HTTP/1.1', [
      ...others,
      [field, value],
    ]);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(port, head);
      expect(res.status).toBeLessThan(500);
      times.push(res.ms);
    }
    times.sort((a, b) => a - b);
    expect(times[1]).toBeLessThan(REQUEST_BOUND_MS);
  });

  it('answers a 100 KB Host with 400 Invalid host header in bounded time', async () => {
    const res = await rawRequest(port, buildHead('GET / HTTP/1.1', [['Host', fill('a.')]]));
    expect(res.status).toBe(400);
    expect(res.body.toString()).toBe('Invalid host header');
    expect(res.ms).toBeLessThan(REQUEST_BOUND_MS);
  });
});

describe('each middleware alone at Node default maxHeaderSize (16 KiB)', () => {
  const near = (unit: string, prefix = ''): string => fill(unit, http.maxHeaderSize - 512, prefix);
  it.each([
    [
      'cors',
      () => cors({ allowOrigins: ['https://a.example'], allowHeaders: ['x-a'] }),
      'Access-Control-Request-Headers',
      near(','),
    ],
    [
      'cors (Origin)',
      () => cors({ allowOrigins: ['https://*.example.org'] }),
      'Origin',
      near('a.', 'https://'),
    ],
    ['gzip', () => gzip({ minimumSize: 1 }), 'Accept-Encoding', near(';q=0,')],
    ['session', () => session({ secretKey: 's' }), 'Cookie', near('x=y;', 'session=a;')],
    [
      'https-redirect',
      () => httpsRedirect({ trustProxy: true }),
      'X-Forwarded-Proto',
      near('http,'),
    ],
    [
      'https-redirect (Forwarded)',
      () => httpsRedirect({ trustProxy: 2 }),
      'Forwarded',
      near(';proto='),
    ],
    [
      'trusted-host',
      () => trustedHost({ allowedHosts: ['*.example.com'] }),
      'X-Ignored',
      near('a'),
    ],
  ])(
    '%s answers a header just under the limit in bounded time',
    async (_name, make, field, value) => {
      const fw = frameworks.find((f) => f.name === 'node:http')!;
      const server = await serve(
        fw.create([make()], (req, res) => {
          if (_name === 'session') void req.session;
          res.end('x'.repeat(600));
        }),
      );
      const head = buildHead('OPTIONS / HTTP/1.1', [
        ['Host', 'a.example.com'],
        ['Origin', 'https://a.example'],
        ['Access-Control-Request-Method', 'GET'],
        [field, value],
      ]);
      const res = await rawRequest(server.port, head);
      await server.close();
      expect(res.status).toBeLessThan(500);
      expect(res.ms).toBeLessThan(REQUEST_BOUND_MS);
    },
  );
});
