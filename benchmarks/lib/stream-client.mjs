// A client process of the `streams` benchmark (forked by streams.mjs, several of them for 10,000
// streams so no process runs out of file descriptors). It opens `n` SSE streams, decodes each
// with node:zlib as a browser would, and checks that every stream's events arrive whole and in
// order (`id:` 1000, 1001, ...). Messages: open {port, n, encoding}, wait {events}, close.
import http from 'node:http';
import zlib from 'node:zlib';

const DECODERS = {
  gzip: () => zlib.createGunzip(),
  br: () => zlib.createBrotliDecompress(),
  deflate: () => zlib.createInflate(),
};

const streams = [];
const waiters = new Set();

function stats() {
  let min = Infinity;
  let max = 0;
  let errors = 0;
  let wire = 0;
  const problems = [];
  for (const s of streams) {
    min = Math.min(min, s.events);
    max = Math.max(max, s.events);
    wire += s.wire;
    if (s.error) {
      errors++;
      if (problems.length < 5) problems.push(s.error);
    }
  }
  return { streams: streams.length, min, max, errors, wire, problems };
}

function check() {
  for (const w of waiters) {
    if (streams.every((s) => s.events >= w.events || s.error)) {
      waiters.delete(w);
      w.resolve();
    }
  }
}

/** Feeds decoded text to a stream's frame parser: every `id:` must be the next one. */
function onText(s, text) {
  s.text += text;
  let end;
  while ((end = s.text.indexOf('\n\n')) !== -1) {
    const frame = s.text.slice(0, end);
    s.text = s.text.slice(end + 2);
    const id = Number(/^id: (\d+)$/m.exec(frame)?.[1]);
    if (id !== 1000 + s.events) s.error ??= `expected id ${1000 + s.events}, got ${id}`;
    s.events++;
  }
  check();
}

function openOne(port, encoding) {
  return new Promise((resolve) => {
    const s = { events: 0, wire: 0, text: '', error: undefined, req: undefined };
    streams.push(s);
    let first = true;
    const done = () => {
      if (!first) return;
      first = false;
      resolve();
    };
    const headers = encoding === 'identity' ? {} : { 'accept-encoding': encoding };
    s.req = http.get({ host: '127.0.0.1', port, path: '/events', headers, agent: false }, (res) => {
      const got = res.headers['content-encoding'] ?? 'identity';
      if (got !== encoding) s.error = `asked ${encoding}, got ${got}`;
      const decoder = DECODERS[got]?.();
      res.on('data', (chunk) => {
        s.wire += chunk.length;
        if (decoder) decoder.write(chunk);
        else onText(s, chunk.toString('latin1'));
      });
      decoder?.on('data', (chunk) => {
        onText(s, chunk.toString('latin1'));
        done();
      });
      decoder?.on('error', (err) => (s.error ??= `decoder: ${err.message}`));
      if (!decoder) res.once('data', done);
    });
    s.req.on('error', (err) => {
      if (!s.closing) s.error ??= `request: ${err.message}`;
      done();
    });
  });
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    const { port, n, encoding } = message;
    // In batches, so the listen backlog never overflows.
    for (let i = 0; i < n; i += 250) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 250); j++) batch.push(openOne(port, encoding));
      await Promise.all(batch);
    }
    process.send({ type: 'opened', ...stats() });
  } else if (message.type === 'wait') {
    const timeout = setTimeout(() => {
      for (const w of waiters) w.resolve();
      waiters.clear();
    }, message.timeoutMs ?? 30000);
    await new Promise((resolve) => {
      waiters.add({ events: message.events, resolve });
      check();
    });
    clearTimeout(timeout);
    process.send({ type: 'waited', ...stats() });
  } else if (message.type === 'close') {
    for (const s of streams) {
      s.closing = true;
      s.req.destroy();
    }
    streams.length = 0;
    process.send({ type: 'closed' });
  }
});
process.on('disconnect', () => process.exit(0));
