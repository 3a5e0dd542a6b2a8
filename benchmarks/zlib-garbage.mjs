#!/usr/bin/env node
// What a synchronous raw deflate per flush leaves behind, without any middleware (gzip README,
// "Many open streams"): N streams' 8 KiB dictionaries, each used for one `deflateRawSync` of a
// ~250-byte event per broadcast, 20 broadcasts 20 ms apart, then three full GCs. Prints the RSS
// growth per stream. Node 20 measures about 10 KiB, Node 24 about 60 KiB: Node 24 keeps each
// call's garbage until a major GC, and the RSS it took stays with the process.
//   node --expose-gc benchmarks/zlib-garbage.mjs [--streams n] [--chunk bytes] [--no-dictionary]
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const streams = value('--streams', 2000);
const chunkSize = value('--chunk', 1024);
const dictionary = !args.includes('--no-dictionary');
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const windows = Array.from({ length: streams }, (_, i) => Buffer.alloc(8192, `stream ${i} `));
const event = Buffer.from(
  `data: ${JSON.stringify({ seq: 1, type: 'quote', note: 'x'.repeat(180) })}\n\n`,
);
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
await settle();
const before = process.memoryUsage().rss;
for (let broadcast = 0; broadcast < 20; broadcast++) {
  for (let i = 0; i < streams; i++) {
    zlib.deflateRawSync(event, {
      level: 6,
      windowBits: 14,
      memLevel: 6,
      chunkSize,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      ...(dictionary ? { dictionary: windows[i] } : {}),
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await settle();
const perStream = (process.memoryUsage().rss - before) / streams / 1024;
console.log(
  `node ${process.version}: ${streams} streams x 20 flushes, ${dictionary ? '8 KiB dictionary' : 'no dictionary'}, ` +
    `chunkSize ${chunkSize}: RSS grew ${perStream.toFixed(1)} KiB per stream`,
);
