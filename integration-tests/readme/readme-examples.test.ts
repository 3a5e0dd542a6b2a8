/**
 * Every README example (examples/readme, see readme-blocks.test.ts) type-checks and does what
 * it says. A .ts example is compiled by tsc (module node16) twice, as an ES module (.mts) and as
 * a CommonJS (.cts) consumer of the built packages, both strict; each build is then run. A
 * .js/.mjs/.cjs example runs as it is. A program example is started as a user would start it,
 * with a free PORT, and answers real requests; a module example's exports are served on a
 * loopback port. What each one promises is in checks/<pkg>.ts. Needs `npm run build`.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../test-support/http';
import { exampleFiles, root } from './blocks';
import { client, closeServed, serve } from './support';
import type { Checks, ExampleCheck } from './support';

const CHECKS_DIR = path.join(__dirname, 'checks');
const checks: Checks = Object.assign(
  {},
  ...fs
    .readdirSync(CHECKS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- one file per package, by path
    .map((f) => (require(path.join(CHECKS_DIR, f)) as { checks: Checks }).checks),
);

const examples = exampleFiles();
const typescript = examples.filter((file) => file.endsWith('.ts'));
const work = path.join(root, '.tmp', `readme-examples-${process.pid}`);
const src = path.join(work, 'src');
const out = path.join(work, 'out');
/** tsc's diagnostics, by the example they are about. */
const diagnostics = new Map<string, string[]>();

/** The compiled file that runs `file` as an ES module or as CommonJS. */
function built(file: string, kind: 'esm' | 'cjs'): string {
  const base = file.replace(/^examples\/readme\//, '').replace(/\.ts$/, '');
  return path.join(out, kind, `${base}.${kind === 'esm' ? 'mjs' : 'cjs'}`);
}

beforeAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  for (const file of typescript) {
    const base = file.replace(/^examples\/readme\//, '').replace(/\.ts$/, '');
    for (const [kind, ext] of [
      ['esm', '.mts'],
      ['cjs', '.cts'],
    ] as const) {
      const copy = path.join(src, kind, base + ext);
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.copyFileSync(path.join(root, file), copy);
    }
  }
  fs.writeFileSync(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        esModuleInterop: true,
        skipLibCheck: true,
        // NestJS's decorators (the README's Nest recipes) are the legacy ones.
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules', '@types')],
        rootDir: 'src',
        outDir: 'out',
      },
      include: ['src'],
    }),
  );
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const output = await new Promise<string>((resolve) =>
    execFile(
      process.execPath,
      [tsc, '-p', '.', '--pretty', 'false'],
      { cwd: work },
      (_err, stdout) => resolve(stdout),
    ),
  );
  for (const line of output.split('\n').filter(Boolean)) {
    const file = /^src\/(esm|cjs)\/(.+?)\.[mc]ts\(/.exec(line);
    const key = file ? `${file[1]}:examples/readme/${file[2]}.ts` : 'other';
    diagnostics.set(key, [...(diagnostics.get(key) ?? []), line]);
  }
}, 180_000);

afterAll(async () => {
  await closeServed();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Resolves once something accepts connections on localhost:port; rejects if `child` exits. */
function listening(port: number, exited: Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  const attempt = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: 'localhost' });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', (err) => {
        socket.destroy();
        if (done) reject(new Error('the example exited before listening'));
        else if (Date.now() > deadline) reject(err);
        else setTimeout(() => attempt().then(resolve, reject), 100);
      });
    });
  return attempt();
}

/** Starts `script` with node and a free PORT, runs `check`, stops it by its pid. */
async function runProgram(script: string, check: Extract<ExampleCheck, { kind: 'program' }>) {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ...check.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await listening(port, exited).catch((err: Error) => {
      throw new Error(`${script}: ${err.message}\n${output}`);
    });
    await check.check(client(port), () => output);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** Other integration tests that name an example run it themselves (Redis, nginx, a framework). */
function testsNaming(file: string, dir = path.join(root, 'integration-tests')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === __dirname ? [] : testsNaming(file, full);
    if (!entry.name.endsWith('.test.ts')) return [];
    const text = fs.readFileSync(full, 'utf8');
    // The whole path, or its folder and its file name (`DIR = 'examples/readme/gzip'`, 'events.ts').
    const names =
      text.includes(file) ||
      (text.includes(path.dirname(file)) && text.includes(`'${path.basename(file)}'`));
    return names ? [path.relative(root, full)] : [];
  });
}

it('every check is for an example that exists', () => {
  expect(Object.keys(checks).filter((file) => !examples.includes(file))).toEqual([]);
});

it('type-checks nothing but the examples (no stray diagnostics)', () => {
  expect(diagnostics.get('other') ?? []).toEqual([]);
});

describe.each(examples)('%s', (file) => {
  const check = checks[file];
  const ts = file.endsWith('.ts');

  if (ts) {
    it('type-checks as an ES module consumer of the built packages', () => {
      expect(diagnostics.get(`esm:${file}`) ?? []).toEqual([]);
    });
    if (check?.esmOnly) {
      it(`cannot be CommonJS: ${check.esmOnly} (TS1479 when compiled as CommonJS)`, () => {
        expect((diagnostics.get(`cjs:${file}`) ?? []).join('\n')).toMatch(/error TS1479/);
      });
    } else {
      it('type-checks as a CommonJS consumer of the built packages', () => {
        expect(diagnostics.get(`cjs:${file}`) ?? []).toEqual([]);
      });
    }
  }

  if (check?.kind === 'program') {
    const runs: [string, string][] = ts
      ? [
          ['compiled as an ES module', built(file, 'esm')],
          ['compiled as CommonJS', built(file, 'cjs')],
        ]
      : [['as written', path.join(root, file)]];
    it.each(runs)(
      'runs %s and answers as its README says',
      async (_name, script) => {
        await runProgram(script, check);
      },
      30_000,
    );
  } else if (check?.kind === 'module') {
    it('serves its exports and they answer as its README says', async () => {
      const script = ts ? built(file, 'cjs') : path.join(root, file);
      Object.assign(process.env, check.env);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's CommonJS build
      await check.check(require(script) as Record<string, unknown>, serve);
    });
  } else if (check?.kind === 'preload') {
    it('changes what a child process does as its README says', async () => {
      const script = ts ? built(file, 'cjs') : path.join(root, file);
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['-r', script, '-e', check.driver],
          { cwd: root, timeout: 20_000 },
          (err, stdout, stderr) =>
            err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      expect(output).toMatch(check.output);
    });
  } else if (check?.kind === 'external') {
    it(`is run by ${check.test}, which names it`, () => {
      expect(testsNaming(file)).toContain(check.test);
    });
  } else {
    it('is run by a check in integration-tests/readme/checks or by a test that names it', () => {
      expect(testsNaming(file)).not.toEqual([]);
    });
  }
});
