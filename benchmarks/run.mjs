#!/usr/bin/env node
// npm run bench [-- <package>...] [--label <name>] [--note <text>] [--no-build] [--profile]
//   [--report-only]
//   [--quick] [--duration s] [--warmup s] [--rounds n] [--connections n] [--no-micro] [--no-http]
//   [--no-streams] [--streams n] [--events n]
// npm run bench -- streams          only the open-streams kind (issue 19), 2,000 streams
// npm run bench -- streams10k       10,000 compressed SSE streams held 30 s (not in the report)
//
// Builds the packages, measures each @mw package against its peers (HTTP throughput with
// autocannon, then per-call micro-benchmarks with tinybench) and writes BENCHMARKS.md.
// Results are merged into .tmp/bench-results.json, so `npm run bench -- cors` refreshes the
// cors tables and keeps the others from the previous run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from './lib/http.mjs';
import { microCases, runMicro } from './lib/micro.mjs';
import { renderReport, streamsSection } from './lib/report.mjs';
import { PACKAGES, scenarios } from './lib/scenarios.mjs';
import { runStreams } from './lib/streams.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, '.tmp', 'bench-results.json');
const REPORT = path.join(ROOT, 'BENCHMARKS.md');
const ANALYSIS = path.join(ROOT, 'benchmarks', 'analysis.md');
// Written by `node benchmarks/explain.mjs` (issue 17); embedded as it stands.
const EXPLAIN_COST = path.join(ROOT, 'benchmarks', 'explain-cost.md');

function parseArgs(argv) {
  const options = {
    packages: [],
    label: 'latest',
    note: '',
    build: true,
    profile: false,
    http: true,
    micro: true,
    connections: 50,
    warmup: 2,
    duration: 3,
    rounds: 3,
    microRounds: 4,
    microTime: 400,
    streams: 2000,
    events: 20,
    streamsKind: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--label') options.label = value();
    else if (arg === '--note') options.note = value();
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--report-only') options.reportOnly = true;
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--no-micro') options.micro = false;
    else if (arg === '--no-http') options.http = false;
    else if (arg === '--no-streams') options.streamsKind = false;
    else if (arg === '--streams') options.streams = Number(value());
    else if (arg === '--events') options.events = Number(value());
    else if (arg === 'streams') {
      // Only the open-streams kind: it reports under gzip, and leaves the other tables alone.
      Object.assign(options, { http: false, micro: false, streamsOnly: true });
    } else if (arg === '--duration') options.duration = Number(value());
    else if (arg === '--warmup') options.warmup = Number(value());
    else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--connections') options.connections = Number(value());
    else if (arg === '--quick') {
      Object.assign(options, { warmup: 1, duration: 1, rounds: 1, microRounds: 1, microTime: 100 });
    } else if (PACKAGES.includes(arg)) options.packages.push(arg);
    else {
      throw new Error(`unknown argument ${arg}; packages are ${PACKAGES.join(', ')}`);
    }
  }
  if (options.packages.length === 0)
    options.packages = options.streamsOnly ? ['gzip'] : [...PACKAGES];
  return options;
}

function hasTaskset() {
  return spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0;
}

function machine() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: `${os.cpus().length} (${os.availableParallelism()} usable by this process before pinning)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(', '),
  };
}

function version(name) {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

function build() {
  process.stdout.write('building the packages (npx lerna run build) ... ');
  const result = spawnSync('npx', ['lerna', 'run', 'build', '--loglevel=warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status === 0) {
    console.log('done');
    return;
  }
  console.log(
    'FAILED; benchmarking whatever dist/ holds (a package that fails to load is reported).',
  );
  console.log(`${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-30).join('\n'));
}

/** Puts the streams section into BENCHMARKS.md in place of the old one (or before the micros). */
function spliceStreams(result, meta) {
  const text = fs.readFileSync(REPORT, 'utf8');
  const section = `${streamsSection(result, meta).join('\n')}\n\n`;
  const start = text.indexOf('## Open compressed streams');
  const end = start === -1 ? -1 : text.indexOf('\n## ', start + 3);
  let next;
  if (start !== -1) next = text.slice(0, start) + section + (end === -1 ? '' : text.slice(end + 1));
  else {
    const at = text.indexOf('## Micro-benchmarks');
    next = at === -1 ? `${text}\n${section}` : text.slice(0, at) + section + text.slice(at);
  }
  fs.writeFileSync(REPORT, next);
}

async function main() {
  if (process.argv[2] === 'streams10k') {
    await import('./streams10k.mjs');
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (options.reportOnly) {
    // Re-renders BENCHMARKS.md from the stored results (after editing analysis.md, say).
    const data = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    if (fs.existsSync(ANALYSIS)) data.analysis = fs.readFileSync(ANALYSIS, 'utf8').trim();
    else delete data.analysis;
    if (fs.existsSync(EXPLAIN_COST))
      data.explainCost = fs.readFileSync(EXPLAIN_COST, 'utf8').trim();
    else delete data.explainCost;
    fs.writeFileSync(RESULTS, `${JSON.stringify(data, null, 2)}\n`);
    fs.writeFileSync(REPORT, renderReport(data));
    console.log(`wrote ${path.relative(ROOT, REPORT)}`);
    return;
  }
  const started = Date.now();
  const host = machine(); // before pinning, which narrows what this process can see
  const pinned = hasTaskset() && os.availableParallelism() >= 2;
  if (pinned) {
    // The load generator (and the micro-benchmarks) on CPU 1; servers go to CPU 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  }
  if (options.build) build();
  const profileDir = options.profile ? path.join(ROOT, '.tmp', 'profiles') : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  const settings = { ...options, pinned, profileDir };

  const selected = scenarios.filter((s) => options.packages.includes(s.pkg));
  const micros = microCases.filter((c) => options.packages.includes(c.pkg));
  const httpSeconds = options.http
    ? selected.reduce(
        (sum, s) =>
          sum + s.variants.length * (options.warmup + options.rounds * options.duration + 0.5),
        0,
      )
    : 0;
  const microSeconds = options.micro
    ? micros.length * 2 * options.microRounds * ((options.microTime + 100) / 1000 + 0.3)
    : 0;
  console.log(
    `benchmarking ${options.packages.join(', ')}: ${options.http ? selected.length : 0} HTTP comparisons, ` +
      `${options.micro ? micros.length : 0} micro-benchmarks, about ${Math.ceil((httpSeconds + microSeconds) / 60)} min` +
      (pinned ? '; servers pinned to CPU 0, load generator to CPU 1' : '; no CPU pinning'),
  );
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
  const progress = (line) => console.log(`[${elapsed()}] ${line}`);

  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let data = { http: {}, micro: {} };
  const stored = fs.existsSync(RESULTS);
  if (stored) {
    try {
      data = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    } catch {
      data = { http: {}, micro: {} };
    }
  }
  // Keep earlier results only for what is not measured now.
  for (const [kind, measured] of [
    ['http', options.http],
    ['micro', options.micro],
  ]) {
    if (!measured) continue;
    for (const [id, r] of Object.entries(data[kind])) {
      if (options.packages.includes(r.pkg)) delete data[kind][id];
    }
  }

  if (options.http) {
    for (const scenario of selected) {
      progress(`${scenario.id}: ${scenario.title}`);
      const result = await runScenario(scenario, settings, progress);
      result.measuredAt = date;
      data.http[scenario.id] = result;
    }
  }
  if (options.streamsKind && options.packages.includes('gzip')) {
    progress(`streams: ${options.streams} concurrent SSE streams per side (issue 19)`);
    data.streams = await runStreams(settings, progress);
    data.streams.measuredAt = date;
  }
  if (options.micro) {
    for (const result of await runMicro(micros, settings, progress)) {
      result.measuredAt = date;
      data.micro[result.id] = result;
    }
  }

  data.meta = {
    label: options.label,
    note: options.note,
    date,
    machine: host,
    settings: {
      pinning: pinned
        ? 'servers `taskset -c 0` (all threads), load generator and micro-benchmarks `taskset -c 1`'
        : 'none (taskset missing or fewer than 2 cores)',
      connections: options.connections,
      warmup: options.warmup,
      duration: options.duration,
      rounds: options.rounds,
      microRounds: options.microRounds,
      microTime: options.microTime,
      autocannon: version('autocannon'),
      tinybench: version('tinybench'),
    },
  };
  if (profileDir) {
    // Profiled servers run slower: their numbers must not replace real ones.
    progress(
      `profiles in ${path.relative(ROOT, profileDir)}; BENCHMARKS.md left alone. Summarise:`,
    );
    progress('node benchmarks/profile-summary.mjs <file.cpuprofile> [--filter packages/]');
    return;
  }
  if (options.streamsOnly && fs.existsSync(REPORT)) {
    // Only this section was measured: replace it, leave the other tables as they are.
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify(data, null, 2)}\n`);
    spliceStreams(data.streams, { ...data.meta, date: '' });
    progress(`wrote the streams section of ${path.relative(ROOT, REPORT)}`);
    return;
  }
  if (fs.existsSync(ANALYSIS)) data.analysis = fs.readFileSync(ANALYSIS, 'utf8').trim();
  else delete data.analysis;
  if (fs.existsSync(EXPLAIN_COST)) data.explainCost = fs.readFileSync(EXPLAIN_COST, 'utf8').trim();
  else delete data.explainCost;
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(data, null, 2)}\n`);
  fs.writeFileSync(REPORT, renderReport(data));
  progress(`wrote ${path.relative(ROOT, REPORT)} (raw results in ${path.relative(ROOT, RESULTS)})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
