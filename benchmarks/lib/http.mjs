// HTTP throughput: every server of a scenario runs in its own process (pinned to CPU 0 when
// `taskset` exists), autocannon runs in this process (pinned to CPU 1 by run.mjs). After one
// warm-up per server, rounds alternate between the servers (A, B, C, then B, C, A, ...), so
// drift on a shared machine lands on every side alike.
import { execFileSync, fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

function waitFor(child, types, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`server did not answer ${types.join('/')} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!types.includes(message.type)) return;
      cleanup();
      if (message.type === 'failed') reject(new Error(message.message));
      else resolve(message);
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`server exited with code ${code}`));
    };
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startServer(scenario, variant, settings) {
  const execArgv = settings.profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${settings.profileDir}`,
        `--cpu-prof-name=${scenario.id}.${variant.key}.cpuprofile`,
      ]
    : [];
  const child = fork(SERVER, [scenario.id, variant.key], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await waitFor(child, ['ready', 'failed'], 20000);
    if (settings.pinned) {
      execFileSync('taskset', ['-a', '-p', '-c', '0', String(child.pid)], { stdio: 'ignore' });
    }
    return {
      port: ready.port,
      async ask(type, reply) {
        const answer = waitFor(child, [reply], 10000);
        child.send({ type });
        return answer;
      },
      async stop() {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send({ type: 'exit' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/** One request with node:http; resolves with the response and its (raw) body as text. */
function probe(port, request, extraHeaders) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...extraHeaders },
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks).toString('latin1') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10000, () => req.destroy(new Error('probe timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The `Cookie` header a browser would send back after this response. */
function cookieFrom(res) {
  const setCookie = res.headers['set-cookie'] ?? [];
  return setCookie.map((line) => line.split(';')[0]).join('; ');
}

/**
 * Runs autocannon; also keeps every response time (autocannon's own histogram rounds to whole
 * milliseconds, and most of these answers take less than one).
 */
function cannon(options) {
  return new Promise((resolve, reject) => {
    const times = [];
    const instance = autocannon(options, (err, result) =>
      err ? reject(err) : resolve({ result, times: Float64Array.from(times).sort() }),
    );
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs one scenario; returns per-variant rounds and medians. A variant whose server fails to
 * start or answers wrongly is reported with its error and not measured.
 */
export async function runScenario(scenario, settings, progress) {
  const connections = scenario.connections ?? settings.connections;
  const sides = [];
  for (const variant of scenario.variants) {
    const side = {
      key: variant.key,
      name: variant.name,
      short: variant.short,
      rounds: [],
      headers: {},
    };
    sides.push(side);
    try {
      side.server = await startServer(scenario, variant, settings);
      if (scenario.session) {
        const first = await probe(side.server.port, scenario.request, {});
        const cookie = cookieFrom(first.res);
        if (cookie) side.headers.cookie = cookie;
      }
      const { res, body } = await probe(side.server.port, scenario.request, side.headers);
      const problem = variant.check?.(res, body);
      if (problem) throw new Error(`wrong answer: ${problem}`);
      side.status = res.statusCode;
    } catch (err) {
      side.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
      progress(`${scenario.id}: ${variant.name} NOT MEASURED: ${side.error}`);
    }
  }
  const live = sides.filter((side) => !side.error);
  const load = (side, duration) =>
    cannon({
      url: `http://127.0.0.1:${side.server.port}${scenario.request.path}`,
      method: scenario.request.method,
      headers: { ...scenario.request.headers, ...side.headers },
      connections,
      pipelining: 1,
      duration,
    });
  try {
    for (const side of live) {
      await load(side, settings.warmup);
      progress(`${scenario.id}: warm-up ${side.name}`);
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (let i = 0; i < live.length; i++) {
        const side = live[(i + round) % live.length];
        await side.server.ask('mark', 'marked');
        const { result, times } = await load(side, settings.duration);
        const stats = await side.server.ask('stats', 'stats');
        const codes = Object.entries(result.statusCodeStats ?? {});
        const unexpected = codes
          .filter(([code]) => Number(code) !== side.status)
          .reduce((sum, [, v]) => sum + v.count, 0);
        const r = {
          rps: result.requests.total / result.duration,
          p50: percentile(times, 0.5),
          p99: percentile(times, 0.99),
          cpu: stats.cpu,
          // Requests per CPU-second of the server: robust when the machine is shared.
          eff: result.requests.total / result.duration / stats.cpu,
          problems: result.errors + result.timeouts + unexpected + stats.errors,
        };
        side.rounds.push(r);
        progress(
          `${scenario.id}: round ${round + 1}/${settings.rounds} ${side.name}: ` +
            `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ` +
            `server CPU ${Math.round(r.cpu * 100)}%${r.problems ? `, ${r.problems} errors/unexpected` : ''}`,
        );
      }
    }
    for (const side of live) {
      const stats = await side.server.ask('stats', 'stats');
      side.peakRss = stats.peakRss;
      side.maxRss = stats.maxRss;
    }
  } finally {
    await Promise.all(sides.map((side) => side.server?.stop()));
  }
  return {
    id: scenario.id,
    pkg: scenario.pkg,
    title: scenario.title,
    connections,
    session: scenario.session === true,
    request: scenario.request,
    sides: sides.map((side) => ({
      key: side.key,
      name: side.name,
      short: side.short,
      error: side.error,
      status: side.status,
      rounds: side.rounds,
      rps: median(side.rounds.map((r) => r.rps)),
      rpsMin: Math.min(...side.rounds.map((r) => r.rps)),
      rpsMax: Math.max(...side.rounds.map((r) => r.rps)),
      p50: median(side.rounds.map((r) => r.p50)),
      p99: median(side.rounds.map((r) => r.p99)),
      cpu: median(side.rounds.map((r) => r.cpu)),
      eff: median(side.rounds.map((r) => r.eff)),
      problems: side.rounds.reduce((sum, r) => sum + r.problems, 0),
      peakRss: side.peakRss,
      maxRss: side.maxRss,
    })),
    targets: scenario.targets,
  };
}

export { median };
