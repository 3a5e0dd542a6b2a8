/**
 * @mw's one trustProxy against Express's own `trust proxy`, request by request: for every form
 * (false, true, hop counts, 'loopback', addresses, CIDR ranges, comma strings, lists,
 * functions), set once with `app.set('trust proxy', form)` (the default @mw follows) and given
 * explicitly, core's request view must say what Express's `req.protocol`, `req.secure`,
 * `req.hostname` and `req.ip` say, from two socket peers (127.0.0.1 and 127.0.0.2) and for
 * forwarded headers of every shape. The differences that remain are by design and pinned in
 * DIFFERENCES (the packages' READMEs name them). Needs `npm run build`.
 */
import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileTrustProxy, requestView } from '@mw/core';
import type { TrustProxy } from '@mw/core';

type Fields = {
  protocol: string;
  secure: boolean;
  hostname: string | undefined;
  ip: string | undefined;
};

const PEERS = ['127.0.0.1', '127.0.0.2'] as const;

/** Forwarded headers as proxies (and clients in front of them) send them. */
const REQUESTS: Record<string, Record<string, string>> = {
  direct: {},
  'one proxy': {
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-For': '10.0.0.1',
    'X-Forwarded-Host': 'shop.example',
  },
  'two proxies': {
    'X-Forwarded-Proto': 'https, http',
    'X-Forwarded-For': '203.0.113.9, 10.0.0.1',
    'X-Forwarded-Host': 'a.example, b.example',
  },
  'proxy says http': { 'X-Forwarded-Proto': 'http', 'X-Forwarded-For': '10.0.0.1' },
  'one proto, two hops': {
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-For': '203.0.113.9, 10.0.0.1',
  },
  'RFC 7239 Forwarded': { Forwarded: 'for=10.0.0.1;proto=https' },
  'upper-case HTTPS': { 'X-Forwarded-Proto': 'HTTPS', 'X-Forwarded-For': '10.0.0.1' },
};

const FORMS: [string, TrustProxy][] = [
  ['false', false],
  ['true', true],
  ['0', 0],
  ['1', 1],
  ['2', 2],
  ["'loopback'", 'loopback'],
  ["'127.0.0.1'", '127.0.0.1'],
  ["'127.0.0.2/32'", '127.0.0.2/32'],
  ["'127.0.0.0/8, 10.0.0.0/8'", '127.0.0.0/8, 10.0.0.0/8'],
  ["['loopback', '10.0.0.1']", ['loopback', '10.0.0.1']],
  ["['uniquelocal']", ['uniquelocal']],
  ['(address) => address === 127.0.0.1', (address: string) => address === '127.0.0.1'],
  ['(_, hop) => hop < 1', (_address: string, hop: number) => hop < 1],
];

/**
 * Where @mw answers differently from Express, by design, as
 * `<request> from <peer>: <field> <Express's> -> <@mw's>`:
 * - the protocol is the farthest trusted hop's (Express: the leftmost X-Forwarded-Proto as
 *   soon as the peer is trusted, so a client behind one trusted proxy picks its own);
 * - RFC 7239 `Forwarded: proto=` counts (Express reads X-Forwarded-Proto only);
 * - `HTTPS` is https (Express's `req.secure` is false for it).
 */
type Difference = string;
const LEFTMOST = ['two proxies: protocol https -> http', 'two proxies: secure true -> false'];
const FORWARDED = [
  'RFC 7239 Forwarded: protocol http -> https',
  'RFC 7239 Forwarded: secure false -> true',
];
const UPPER_CASE = [
  'upper-case HTTPS: protocol HTTPS -> https',
  'upper-case HTTPS: secure false -> true',
];
/** The differences `kinds` show from each of `peers` (the peers the form trusts). */
const from = (peers: readonly string[], ...kinds: string[][]): Difference[] =>
  kinds.flat().flatMap((d) => peers.map((peer) => d.replace(':', ` from ${peer}:`)));
const BOTH = PEERS;
const DIFFERENCES: Record<string, Difference[]> = {
  true: from(BOTH, FORWARDED, UPPER_CASE),
  '1': from(BOTH, LEFTMOST, FORWARDED, UPPER_CASE),
  '2': from(BOTH, FORWARDED, UPPER_CASE),
  "'loopback'": from(BOTH, LEFTMOST, FORWARDED, UPPER_CASE),
  "'127.0.0.1'": from(['127.0.0.1'], LEFTMOST, FORWARDED, UPPER_CASE),
  "'127.0.0.2/32'": from(['127.0.0.2'], LEFTMOST, FORWARDED, UPPER_CASE),
  "'127.0.0.0/8, 10.0.0.0/8'": from(BOTH, FORWARDED, UPPER_CASE),
  "['loopback', '10.0.0.1']": from(BOTH, FORWARDED, UPPER_CASE),
  '(address) => address === 127.0.0.1': from(['127.0.0.1'], LEFTMOST, FORWARDED, UPPER_CASE),
  '(_, hop) => hop < 1': from(BOTH, LEFTMOST, FORWARDED, UPPER_CASE),
};

const EXPRESS = [
  ['Express 5', 'express'],
  ['Express 4', 'express4'],
] as const;

describe.each(EXPRESS)('trustProxy against %s', (_name, moduleName) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- both majors, by name
  const express = require(moduleName) as () => RequestListener & {
    set(name: string, value: unknown): void;
    use(fn: (req: IncomingMessage, res: ServerResponse) => void): void;
  };

  /** Serves an Express app that answers Express's view and @mw's for each request. */
  async function serve(form: TrustProxy, explicit: TrustProxy | undefined) {
    const app = express();
    app.set('trust proxy', form);
    const setting = compileTrustProxy('test', 'trustProxy', explicit);
    app.use((req, res) => {
      const r = req as IncomingMessage & Fields;
      const view = requestView(req, setting);
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          express: { protocol: r.protocol, secure: r.secure, hostname: r.hostname, ip: r.ip },
          mw: {
            protocol: view.scheme,
            secure: view.secure,
            hostname: view.host?.hostname,
            ip: view.address,
          },
        }),
      );
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  function ask(server: http.Server, peer: string, headers: Record<string, string>) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ express: Fields; mw: Fields }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          localAddress: peer,
          headers: { Host: 'backend.example', ...headers },
          agent: false,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(JSON.parse(text) as { express: Fields; mw: Fields }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Every difference, over all requests and peers, between what Express says under
   * `trust proxy` = `expressForm` and what @mw says in an app set to `appForm` with the
   * `trustProxy` option `explicit` (sorted).
   */
  async function differences(
    appForm: TrustProxy,
    explicit: TrustProxy | undefined,
    expressForm: TrustProxy = appForm,
  ): Promise<Difference[]> {
    const server = await serve(appForm, explicit);
    const reference = expressForm === appForm ? server : await serve(expressForm, undefined);
    const found: Difference[] = [];
    try {
      for (const [name, headers] of Object.entries(REQUESTS)) {
        for (const peer of PEERS) {
          const { mw } = await ask(server, peer, headers);
          const { express: e } = await ask(reference, peer, headers);
          for (const field of ['protocol', 'secure', 'hostname', 'ip'] as const) {
            if (e[field] !== mw[field]) {
              found.push(
                `${name} from ${peer}: ${field} ${String(e[field])} -> ${String(mw[field])}`,
              );
            }
          }
        }
      }
    } finally {
      for (const s of new Set([server, reference])) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
    }
    return found.sort();
  }

  describe.each(FORMS)('with trust proxy %s', (label, form) => {
    const expected = (DIFFERENCES[label] ?? []).slice().sort();

    it("agrees with Express's req.protocol, secure, hostname and ip by default", async () => {
      expect(await differences(form, undefined)).toEqual(expected);
    });

    it('agrees the same way when the form is given as trustProxy in an app trusting nobody', async () => {
      expect(await differences(false, form, form)).toEqual(expected);
    });

    it("lets an explicit trustProxy: false win over the app's setting", async () => {
      expect(await differences(form, false, false)).toEqual(from(BOTH, UPPER_CASE.slice(0, 0)));
    });
  });
});
