// The realistic event stream of the `streams` benchmark: server-sent events of about 250 bytes
// of JSON each, generated from a fixed seed so every run and every side sees the same bytes.

const SYMBOLS = ['ACME', 'GLOBEX', 'INITECH', 'UMBRELLA', 'HOOLI', 'STARK', 'WAYNE', 'TYRELL'];
const VENUES = ['XNYS', 'XNAS', 'BATS', 'ARCX'];

/** A small deterministic PRNG (mulberry32), so the stream is reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns `count` SSE frames (`id: n\ndata: {...}\n\n`), each about 250 bytes: a market tick
 * with a sequence number, time stamp, prices and sizes, the kind of event a dashboard streams.
 */
export function sseEvents(count = 200, seed = 19) {
  const rand = prng(seed);
  const events = [];
  let time = Date.UTC(2026, 10, 30, 14, 0, 0);
  for (let i = 0; i < count; i++) {
    time += Math.floor(rand() * 900) + 100;
    const price = 100 + rand() * 50;
    const spread = rand() * 0.2;
    const data = {
      seq: 1000 + i,
      type: rand() < 0.8 ? 'quote' : 'trade',
      symbol: SYMBOLS[Math.floor(rand() * SYMBOLS.length)],
      venue: VENUES[Math.floor(rand() * VENUES.length)],
      time: new Date(time).toISOString(),
      bid: Number((price - spread).toFixed(2)),
      ask: Number((price + spread).toFixed(2)),
      bidSize: Math.floor(rand() * 5000),
      askSize: Math.floor(rand() * 5000),
      last: Number(price.toFixed(2)),
      volume: Math.floor(rand() * 2e6),
      changePct: Number(((rand() - 0.5) * 4).toFixed(3)),
      halted: false,
    };
    events.push(`id: ${1000 + i}\nevent: tick\ndata: ${JSON.stringify(data)}\n\n`);
  }
  return events;
}
