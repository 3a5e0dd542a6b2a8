// One benchmark server: `node server.mjs <scenario id> <variant key>`, started by run.mjs with
// an IPC channel. It listens on 127.0.0.1 on a free port, reports the port, and answers the
// parent's questions about its own CPU time and memory (peak RSS sampled every 50 ms, plus the
// kernel's high-water mark), so nothing the load generator does is counted against it.
import http from 'node:http';
import { BenchResponse, errorCount } from './chain.mjs';
import { scenarios } from './scenarios.mjs';

const [scenarioId, variantKey] = process.argv.slice(2);
const scenario = scenarios.find((s) => s.id === scenarioId);
const variant = scenario?.variants.find((v) => v.key === variantKey);

function send(message) {
  if (process.send) process.send(message);
}

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}, 50);
sampler.unref();

let cpuMark = process.cpuUsage();
let timeMark = process.hrtime.bigint();
let errorMark = 0;

async function main() {
  if (!variant) throw new Error(`unknown scenario/variant ${scenarioId}/${variantKey}`);
  const listener = await variant.build();
  const server = http.createServer({ ServerResponse: BenchResponse }, listener);
  server.listen(0, '127.0.0.1', () => {
    send({ type: 'ready', port: server.address().port, pid: process.pid });
  });
  process.on('message', (message) => {
    if (message.type === 'mark') {
      cpuMark = process.cpuUsage();
      timeMark = process.hrtime.bigint();
      errorMark = errorCount();
      send({ type: 'marked' });
    } else if (message.type === 'stats') {
      const cpu = process.cpuUsage(cpuMark);
      const elapsedUs = Number(process.hrtime.bigint() - timeMark) / 1000;
      send({
        type: 'stats',
        cpu: (cpu.user + cpu.system) / elapsedUs,
        errors: errorCount() - errorMark,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        rss: process.memoryUsage.rss(),
      });
    } else if (message.type === 'exit') {
      // A normal exit, so `--cpu-prof` writes its profile.
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((err) => {
  send({ type: 'failed', message: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
