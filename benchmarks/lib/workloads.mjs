// Request handlers shared by every side of a comparison, and the bodies they send.
import { Readable } from 'node:stream';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const ITEMS = 37;
let sequence = 0;

/**
 * The document, serialised once and cut around each item's `id`, so a fresh body costs a few
 * string concatenations (about 2 us) instead of a full JSON.stringify (about 35 us), which would
 * drown the cost of the middleware being measured.
 */
const TEMPLATE = (() => {
  const items = [];
  for (let i = 0; i < ITEMS; i++) {
    items.push({
      id: 987654321, // placeholder, cut out below
      name: `${WORDS[i % 8]} ${WORDS[(i * 3 + 1) % 8]} ${i}`,
      price: Math.round(((i * 7919) % 100000) + 99) / 100,
      tags: [WORDS[(i * 3) % 8], WORDS[(i * 5 + 1) % 8]],
      inStock: i % 3 !== 0,
      updatedAt: new Date(1700000000000 + i * 86400123).toISOString(),
    });
  }
  const json = JSON.stringify({ sequence: 987654321, page: 1, pageSize: ITEMS, total: 740, items });
  return json.split('987654321');
})();

/**
 * A fresh JSON document of about 4.8 KB per call: a new sequence number in the envelope and a
 * new id in every item, so no two bodies are equal and nothing downstream could serve an earlier
 * compressed output even if it tried.
 */
export function jsonBody() {
  sequence += 1;
  let body = TEMPLATE[0] + sequence + TEMPLATE[1];
  for (let i = 2; i < TEMPLATE.length; i++) body += sequence * 100 + i + TEMPLATE[i];
  return body;
}

/** Answers 200 `ok`, as a small API endpoint would. */
export function textHandler(_req, res) {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', 2);
  res.end('ok');
}

/** Answers a fresh ~4.8 KB JSON document with its Content-Length, as `res.json()` does. */
export function jsonHandler(_req, res) {
  const body = Buffer.from(jsonBody());
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** 1 MiB of log-like text made once: compressible, but not a run of one byte. */
const STREAM_CHUNK_SIZE = 64 * 1024;
const STREAM_CHUNKS = 16;
const streamChunks = (() => {
  const lines = [];
  let size = 0;
  for (let i = 0; size < STREAM_CHUNK_SIZE * STREAM_CHUNKS; i++) {
    const line = `${new Date(1700000000000 + i * 137).toISOString()} ${WORDS[i % 8]} request=${(i * 7919) % 100003} status=${200 + (i % 5)} took=${(i * 31) % 977}ms\n`;
    lines.push(line);
    size += line.length;
  }
  const all = Buffer.from(lines.join('')).subarray(0, STREAM_CHUNK_SIZE * STREAM_CHUNKS);
  const chunks = [];
  for (let i = 0; i < STREAM_CHUNKS; i++) {
    chunks.push(all.subarray(i * STREAM_CHUNK_SIZE, (i + 1) * STREAM_CHUNK_SIZE));
  }
  return chunks;
})();

/**
 * Streams 1 MiB in 16 chunks of 64 KiB the way Express users stream (`readable.pipe(res)`), so
 * backpressure is handled by the stream machinery on every side alike.
 */
export function streamHandler(_req, res) {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  Readable.from(streamChunks, { objectMode: false }).pipe(res);
}

/** Reads, modifies and writes a small session, then answers `count=<n>`. */
export function sessionHandler(req, res) {
  // The bare server has no session middleware; give it an object so the handler is the same.
  const session = req.session ?? (req.session = {});
  session.count = (session.count ?? 0) + 1;
  const body = `count=${session.count}`;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** The full-stack endpoint: touches the session and answers the JSON document. */
export function appHandler(req, res) {
  const session = req.session ?? (req.session = {});
  session.count = (session.count ?? 0) + 1;
  jsonHandler(req, res);
}
