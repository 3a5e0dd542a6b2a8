/**
 * The gzip README's code blocks are tested code (issue 16 paper cut 3): each block is the exact
 * text of its file under examples/readme/gzip (the `<!-- example: ... -->` marker above it);
 * each .ts example type-checks as an ES module and as CommonJS against the BUILT packages, and
 * each example, compiled both ways (a .cjs one as written), is started with a free PORT and
 * answers real requests as the README says. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'packages', 'gzip', 'README.md');
const DIR = 'examples/readme/gzip';
const WORK = path.join(ROOT, '.tmp', `gzip-readme-${process.pid}`);
const HAS_ZSTD = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function decode(encoding: string | undefined, raw: Buffer): Buffer {
  if (encoding === 'gzip') return zlib.gunzipSync(raw);
  if (encoding === 'br') return zlib.brotliDecompressSync(raw);
  if (encoding === 'zstd') {
    return (zlib as unknown as { zstdDecompressSync(b: Buffer): Buffer }).zstdDecompressSync(raw);
  }
  return raw;
}

/** One request; with `firstEvent`, stops reading once one gzip-compressed event has arrived. */
function request(
  port: number,
  urlPath: string,
  headers: Record<string, string> = {},
  firstEvent = false,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: 'localhost', port, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      const answer = (body: string): void =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!firstEvent) return;
        const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
        const text = zlib.gunzipSync(Buffer.concat(chunks), sync).toString();
        if (text.includes('\n\n')) {
          req.destroy();
          answer(text);
        }
      });
      res.on('end', () =>
        answer(decode(res.headers['content-encoding'], Buffer.concat(chunks)).toString()),
      );
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${urlPath}: no answer in 10 s`)));
    req.on('error', (err) => (firstEvent && req.destroyed ? undefined : reject(err)));
  });
}

type Check = (port: number) => Promise<void>;
const textRoute: Check = async (port) => {
  const br = await request(port, '/', { 'accept-encoding': 'br, gzip' });
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.body).toBe('Hello, compressed world! '.repeat(100));
};

/** What each example promises, as its README section says. */
const CHECKS: Record<string, Check> = {
  'express.ts': async (port) => {
    const items = await request(port, '/api/items', { 'accept-encoding': 'gzip' });
    expect(items.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(items.body)).toHaveLength(100);
    const ping = await request(port, '/api/ping', { 'accept-encoding': 'gzip' });
    expect(ping.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(ping.body)).toEqual({ ok: true });
  },
  'node-http.ts': async (port) => {
    const res = await request(port, '/', { 'accept-encoding': 'zstd, br, gzip' });
    expect(res.headers['content-encoding']).toBe(HAS_ZSTD ? 'zstd' : 'br');
    expect(JSON.parse(res.body)).toEqual({ hello: 'world'.repeat(200) });
  },
  'events.ts': async (port) => {
    const started = Date.now();
    const res = await request(port, '/events', { 'accept-encoding': 'gzip' }, true);
    // The first event arrives at once, flushed, not after the next one a second later.
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body).toMatch(/^data: \{"now":\d+\}\n\n$/);
  },
  'encodings.ts': async (port) => {
    await textRoute(port);
    const zstd = await request(port, '/', { 'accept-encoding': 'zstd, br, gzip' });
    expect(zstd.headers['content-encoding']).toBe(HAS_ZSTD ? 'zstd' : 'br');
    const gz = await request(port, '/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
  },
  'stream.ts': async (port) => {
    const res = await request(port, '/report.csv', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body.split('\n')).toHaveLength(10_002);
  },
  'filter.ts': async (port) => {
    const plain = await request(port, '/', { 'accept-encoding': 'gzip', 'x-no-compression': '1' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBeUndefined();
    const gz = await request(port, '/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
  },
};
CHECKS['express.cjs'] = CHECKS['express.ts']!;

/** The README's ts/js blocks with the example file named on the line above each. */
function readmeBlocks(): { file: string | undefined; text: string }[] {
  const lines = fs.readFileSync(README, 'utf8').split('\n');
  const blocks: { file: string | undefined; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|js|cjs|mjs)$/.test(lines[i]!)) continue;
    const marker = /^<!-- example: (\S+) -->$/.exec(lines[i - 1] ?? '');
    const end = lines.indexOf('```', i + 1);
    blocks.push({ file: marker?.[1], text: `${lines.slice(i + 1, end).join('\n')}\n` });
    i = end;
  }
  return blocks;
}

const examples = fs.readdirSync(path.join(ROOT, DIR)).sort();
const typescript = examples.filter((f) => f.endsWith('.ts'));
let diagnostics: string[] = [];

beforeAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
  const files: string[] = [];
  for (const file of typescript) {
    for (const ext of ['.mts', '.cts']) {
      const copy = path.join(WORK, file.replace(/\.ts$/, ext));
      fs.mkdirSync(WORK, { recursive: true });
      fs.copyFileSync(path.join(ROOT, DIR, file), copy);
      files.push(copy);
    }
  }
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    outDir: path.join(WORK, 'out'),
    rootDir: WORK,
  });
  diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  program.emit();
}, 120_000);

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `script` with a free PORT, waits for its "Listening" line, runs `check`, stops it. */
async function run(script: string, check: Check): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not listening in 15 s:\n${output}`)),
        15_000,
      );
      const seen = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes(`Listening on http://localhost:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
    });
    await check(port);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

describe('packages/gzip/README.md code blocks', () => {
  it('each have an example marker and hold exactly that file', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBe(examples.length);
    for (const block of blocks) {
      expect(block.file).toMatch(new RegExp(`^${DIR}/[\\w.-]+$`));
      expect(block.text).toBe(fs.readFileSync(path.join(ROOT, block.file!), 'utf8'));
    }
    expect(blocks.map((b) => path.basename(b.file!)).sort()).toEqual(examples);
  });

  it('type-check as ES modules and as CommonJS against the built packages', () => {
    expect(diagnostics).toEqual([]);
  });

  it('each have a check', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(examples);
  });

  describe.each(examples)(`${DIR}/%s`, (file) => {
    const scripts: [string, string][] = file.endsWith('.ts')
      ? [
          ['compiled as an ES module', path.join(WORK, 'out', file.replace(/\.ts$/, '.mjs'))],
          ['compiled as CommonJS', path.join(WORK, 'out', file.replace(/\.ts$/, '.cjs'))],
        ]
      : [['as written', path.join(ROOT, DIR, file)]];
    it.each(scripts)(
      'runs %s and answers as the README says',
      async (_how, script) => {
        await run(script, CHECKS[file]!);
      },
      30_000,
    );
  });
});
