#!/usr/bin/env node
// node benchmarks/explain.mjs [--quick] [--only <case id>,...]
//
// What explaining decisions (issue 17: DEBUG=mw:* and the mw:<pkg> diagnostics channels) costs
// on the request paths that reach a decision point. Each row times the same call, in the same
// run, on four builds or states of the same middleware:
//   before   the packages built from the commit before this package got its decision lines
//            (the parent of the commit that added packages/<pkg>/src/explain.ts)
//   off      this checkout, neither DEBUG nor a subscriber (the cost must stay within noise)
//   channel  this checkout with a no-op subscriber on mw:<pkg> (message built and published)
//   debug    this checkout with debug enabled for mw:<pkg>, lines written to a no-op logger
// and writes benchmarks/explain-cost.md. Uses the micro harness of `npm run bench`
// (tinybench, fresh IncomingMessage/ServerResponse per call, batches of 64, alternating rounds).
import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import createDebug from 'debug';
import { Bench } from 'tinybench';
import { runMicro } from './lib/micro.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Outside the repository: jest's module map must not see a second copy of the packages.
const BASES = path.join(os.tmpdir(), 'mw-explain-base');
const REPORT = path.join(ROOT, 'benchmarks', 'explain-cost.md');
const PACKAGES = ['core', 'cors', 'gzip', 'session', 'trusted-host', 'https-redirect', 'stack'];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt === -1 ? undefined : args[onlyAt + 1].split(',');
const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();

/** The commit before `pkg` got its decision lines. */
function baseOf(pkg) {
  const added = git(
    'log',
    '--diff-filter=A',
    '--format=%H',
    '--',
    `packages/${pkg}/src/explain.ts`,
  );
  return git('rev-parse', `${added.split('\n').at(-1)}^`);
}

/** Builds the packages of `commit` into .tmp/explain-base/<commit>, @mw/* resolving there. */
function buildBase(commit) {
  const BASE_DIR = path.join(BASES, commit.slice(0, 10));
  const stamp = path.join(BASE_DIR, '.built');
  if (fs.existsSync(stamp)) return BASE_DIR;
  // A plain export of the commit (git archive), so no worktree is registered in the repository.
  fs.rmSync(BASE_DIR, { recursive: true, force: true });
  fs.mkdirSync(BASE_DIR, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${BASE_DIR}"`], { cwd: ROOT });
  const modules = path.join(BASE_DIR, 'node_modules');
  fs.mkdirSync(path.join(modules, '@mw'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '@mw') continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  for (const pkg of PACKAGES) {
    fs.symlinkSync(path.join(BASE_DIR, 'packages', pkg), path.join(modules, '@mw', pkg));
  }
  for (const pkg of PACKAGES) {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsup'), {
      cwd: path.join(BASE_DIR, 'packages', pkg),
      stdio: 'inherit',
    });
  }
  fs.writeFileSync(stamp, commit);
  return BASE_DIR;
}

const load = (dir, pkg) =>
  import(pathToFileURL(path.join(dir, 'packages', pkg, 'dist', 'index.mjs')).href);
const noop = () => {};
const answer = (_req, res) => () => res.end('ok');
const readSession = (req, res) => () => {
  void req.session?.user; // (the floor has no session) a read of a session whose cookie is missing: the cookie-ignored line
  res.end('ok');
};
const small = (_req, res) => () => res.end('tiny body, below minimumSize');

/** The decision points timed: each reaches an `explain.enabled` check on every call. */
const CASES = [
  {
    id: 'cors-refused',
    pkg: 'cors',
    title: 'cors: simple GET, refused Origin',
    make: (m) => m.cors({ allowOrigins: ['https://app.example.com'] }),
    spec: {
      method: 'GET',
      url: '/api/items',
      headers: { host: 'example.com', origin: 'https://evil.example' },
      next: answer,
    },
  },
  {
    id: 'trusted-host-refused',
    pkg: 'trusted-host',
    title: 'trusted-host: refused Host (400)',
    make: (m) => m.trustedHost({ allowedHosts: ['example.com'] }),
    spec: { method: 'GET', url: '/', headers: { host: 'evil.example' } },
  },
  {
    id: 'https-redirect',
    pkg: 'https-redirect',
    title: 'https-redirect: plain-HTTP GET redirected',
    make: (m) => m.httpsRedirect(),
    spec: { method: 'GET', url: '/account?tab=1', headers: { host: 'example.com' } },
  },
  {
    id: 'gzip-skipped',
    pkg: 'gzip',
    title: 'gzip: small body skipped',
    make: (m) => m.gzip(),
    spec: {
      method: 'GET',
      url: '/',
      headers: { host: 'example.com', 'accept-encoding': 'gzip' },
      next: small,
    },
  },
  {
    id: 'session-missing',
    pkg: 'session',
    title: 'session: read without a cookie',
    make: (m) => m.session({ secretKey: 'bench-secret' }),
    spec: { method: 'GET', url: '/', headers: { host: 'example.com' }, next: readSession },
  },
];

/** Turns explaining on for `pkg` in `state` while `run` runs. */
async function inState(state, pkg, run) {
  const onMessage = noop;
  if (state === 'channel') subscribe(`mw:${pkg}`, onMessage);
  if (state === 'debug') {
    createDebug.log = noop;
    createDebug.enable(`mw:${pkg}`);
  }
  try {
    return await run();
  } finally {
    if (state === 'channel') unsubscribe(`mw:${pkg}`, onMessage);
    if (state === 'debug') createDebug.disable();
  }
}

const settings = quick ? { microRounds: 2, microTime: 150 } : { microRounds: 6, microTime: 400 };
const rows = [];
for (const c of CASES.filter((x) => only === undefined || only.includes(x.id))) {
  c.base = baseOf(c.pkg);
  const before = c.make(await load(buildBase(c.base), c.pkg));
  const now = c.make(await load(ROOT, c.pkg));
  // before and off alternate in one bench (the comparison that must stay within noise).
  const [offRun] = await runMicro(
    [
      {
        ...c,
        sides: async () => [
          { key: 'off', name: 'off', fn: now, spec: c.spec },
          { key: 'before', name: 'before', fn: before, spec: c.spec },
        ],
      },
    ],
    settings,
    (line) => console.error(line),
  );
  const row = { title: c.title, base: c.base };
  for (const side of offRun.sides) row[side.key] = side;
  for (const state of ['channel', 'debug']) {
    const [run] = await inState(state, c.pkg, () =>
      runMicro(
        [{ ...c, sides: async () => [{ key: state, name: state, fn: now, spec: c.spec }] }],
        settings,
        (line) => console.error(`${state}: ${line}`),
      ),
    );
    row[state] = run.sides.find((s) => s.key === state);
  }
  rows.push(row);
}

// The check alone, which is all a request pays while explaining is off: 1000 reads of
// `explain.enabled` against 1000 reads of a getter that returns one boolean, in one bench.
const { explainer } = await import(
  pathToFileURL(path.join(ROOT, 'packages/core/dist/index.mjs')).href
);
const probe = explainer('bench-probe');
const state = { off: false };
const plain = {
  get enabled() {
    return state.off;
  },
};
const checkBench = new Bench({ time: quick ? 150 : 400, warmupTime: 100 });
let hits = 0;
checkBench
  .add('explain.enabled x1000', () => {
    for (let i = 0; i < 1000; i++) if (probe.enabled) hits++;
  })
  .add('getter of one boolean x1000', () => {
    for (let i = 0; i < 1000; i++) if (plain.enabled) hits++;
  });
await checkBench.run();
const checkRow = (name) => checkBench.getTask(name).result.latency.mean * 1e6;

const ns = (side) => `${side.ns.toFixed(0)} (${side.nsMin.toFixed(0)}-${side.nsMax.toFixed(0)})`;
const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)}%`;
const lines = [
  '# What explaining decisions costs (issue 17)',
  '',
  `Produced by \`node benchmarks/explain.mjs\` on ${new Date().toISOString().slice(0, 16)}Z, ` +
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores, ` +
    `shared). "before" is the commit before the package's decision lines, built in the same ` +
    `run. ns/op, median of ` +
    `${settings.microRounds} alternating rounds (min-max); "floor" is the same call with no middleware.`,
  '',
  '| request path | before (commit) | off | off vs before | channel subscriber | DEBUG on (no-op output) | floor |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.title} | ${ns(r.before)} (${r.base.slice(0, 7)}) | ${ns(r.off)} | ${pct(r.off.ns, r.before.ns)} | ` +
      `${ns(r.channel)} | ${ns(r.debug)} | ${r.floor.ns.toFixed(0)} |`,
  ),
  '',
  `The check alone: 1000 reads of \`explain.enabled\` (neither on) take ` +
    `${checkRow('explain.enabled x1000').toFixed(0)} ns, 1000 reads of a getter returning one boolean ` +
    `${checkRow('getter of one boolean x1000').toFixed(0)} ns (${hits} hits).`,
  '',
];
if (only === undefined) fs.writeFileSync(REPORT, lines.join('\n'));
console.log(lines.join('\n'));
