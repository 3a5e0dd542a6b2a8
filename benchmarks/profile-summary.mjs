#!/usr/bin/env node
// Summarises V8 CPU profiles (`npm run bench -- <pkg> --profile` writes one per benchmark
// server to .tmp/profiles): the functions with the most self time and the most inclusive time.
//   node benchmarks/profile-summary.mjs .tmp/profiles/cors-simple.mw.cpuprofile [--top 25] [--filter text]
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let top = 25;
let filter = '';
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--filter') filter = args[++i];
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: profile-summary.mjs <file.cpuprofile>... [--top n] [--filter text]');
  process.exit(2);
}

function label(frame) {
  const file = frame.url ? path.relative(process.cwd(), frame.url.replace(/^file:\/\//, '')) : '';
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(id);
    const key = label(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(byId.get(cur).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const show = (title, map) => {
    console.log(`\n${title}`);
    [...map.entries()]
      .filter(([k]) => k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, v]) => console.log(`${((v / total) * 100).toFixed(1).padStart(6)}%  ${k}`));
  };
  console.log(`== ${file}: ${(total / 1e6).toFixed(2)} s sampled`);
  show('self time', self);
  show('inclusive time', inclusive);
}
