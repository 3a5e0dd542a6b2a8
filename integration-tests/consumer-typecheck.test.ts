/**
 * A TypeScript consumer project (integration-tests/consumer/) type-checked with the real
 * compiler, as a user's `tsc --noEmit` would: the @mw packages resolve through node_modules to
 * their BUILT declarations (run `npm run build` first), `express` to @types/express 5, or to
 * @types/express 4 (installed as the alias @types/express4 and mapped with `paths`).
 * bad.ts holds deliberate type errors, so this check is able to fail.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CONSUMER = path.join(__dirname, 'consumer');
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');

interface Result {
  code: number;
  errors: string[];
  files: string[];
}

function typecheck(config: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      TSC,
      ['--noEmit', '--listFiles', '-p', path.join(CONSUMER, config)],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        const lines = stdout.split('\n').filter(Boolean);
        resolve({
          code: err ? Number((err as { code?: number }).code ?? 1) : 0,
          errors: lines.filter((line) => / error TS\d+:/.test(line)),
          files: lines.filter((line) => !/ error TS\d+:/.test(line) && line.startsWith('/')),
        });
      },
    );
  });
}

const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');
const results: Record<string, Result> = {};

beforeAll(async () => {
  const configs = ['tsconfig.express5.json', 'tsconfig.express4.json', 'tsconfig.bad.json'];
  const outcomes = await Promise.all(configs.map(typecheck));
  configs.forEach((config, i) => (results[config] = outcomes[i] as Result));
}, 120000);

const PACKAGES = ['core', 'cors', 'gzip', 'https-redirect', 'session', 'stack', 'trusted-host'];

describe('a TypeScript consumer of the built packages', () => {
  it.each([
    ['5', 'tsconfig.express5.json', 'node_modules/@types/express/index.d.ts'],
    ['4', 'tsconfig.express4.json', 'node_modules/@types/express4/index.d.ts'],
  ])(
    'type-checks app.use(cors()), app.use(stack(...)), gzip(), res.flush(), session() and req.session.x with @types/express %s',
    (_version, config, expressTypes) => {
      const result = results[config];
      expect(result?.errors).toEqual([]);
      expect(result?.code).toBe(0);
      const files = (result?.files ?? []).map(relative);
      // It really compiled against that Express, and against dist, not src.
      expect(files).toContain(expressTypes);
      for (const name of PACKAGES) expect(files).toContain(`packages/${name}/dist/index.d.ts`);
      expect(files.filter((f) => /^packages\/[^/]+\/src\//.test(f))).toEqual([]);
    },
  );

  it('uses @types/express 4, not 5, when express is mapped to @types/express4', () => {
    const files = (results['tsconfig.express4.json']?.files ?? []).map(relative);
    expect(files).not.toContain('node_modules/@types/express/index.d.ts');
  });

  it('fails on a consumer with type errors, naming each one', () => {
    const result = results['tsconfig.bad.json'];
    expect(result?.code).not.toBe(0);
    expect(result?.errors.map((line) => line.replace(/^.*consumer\//, ''))).toEqual([
      "bad.ts(10,16): error TS2322: Type 'string' is not assignable to type 'readonly string[]'.",
      "bad.ts(11,19): error TS2322: Type 'number' is not assignable to type 'string | readonly string[]'.",
      "bad.ts(13,26): error TS2345: Argument of type 'string' is not assignable to parameter of type 'SessionCallback'.",
    ]);
  });
});
