/**
 * Packages that install alone: each package is packed with `npm pack`, installed into an
 * empty folder with nothing from the repo but its own tarball (and `@mw/core`'s where it
 * depends on it; third-party runtime dependencies come from npm), then required, imported and type-checked the way a user would. publint and
 * are-the-types-wrong must report no problems, and each public export list is snapshotted so
 * an accidental export shows up in review.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const packages = fs
  .readdirSync(path.join(root, 'packages'))
  .filter((name) => fs.existsSync(path.join(root, 'packages', name, 'package.json')))
  .sort();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-pack-'));
const tarballs = new Map<string, string>();

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  for (const name of packages) {
    const out = run(
      'npm',
      ['pack', '--json', '--pack-destination', work],
      path.join(root, 'packages', name),
    );
    const [info] = JSON.parse(out) as [{ filename: string }];
    tarballs.set(name, path.join(work, info.filename));
  }
}, 120_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.each(packages)('@mw/%s as published', (name) => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(work, `${name}-`));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"consumer","private":true}');
    const manifest = JSON.parse(
      fs.readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    // The @mw packages come from their tarballs (with @mw/core's, which every one depends
    // on); real runtime dependencies such as proxy-addr come from npm's cache or the registry.
    const deps = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@mw/'));
    const local = [name, ...deps.map((d) => d.slice('@mw/'.length))].map((n) => tarballs.get(n)!);
    run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', ...local],
      dir,
    );
  }, 120_000);

  it('ships dist, the manifest, README, CHANGELOG and the MIT LICENSE, nothing else', () => {
    const files = run('tar', ['-tzf', tarballs.get(name)!], work)
      .trim()
      .split('\n')
      .sort();
    expect(files.filter((f) => !f.startsWith('package/dist/'))).toEqual([
      'package/CHANGELOG.md',
      'package/LICENSE',
      'package/README.md',
      'package/package.json',
    ]);
    for (const f of ['index.js', 'index.mjs', 'index.d.ts', 'index.d.mts']) {
      expect(files).toContain(`package/dist/${f}`);
    }
    const license = run('tar', ['-xzOf', tarballs.get(name)!, 'package/LICENSE'], work);
    expect(license).toBe(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'));
    expect(license).toMatch(/^MIT License\n/);
  });

  it('names the real repository, its folder, the homepage and the issue tracker', () => {
    const manifest = JSON.parse(
      run('tar', ['-xzOf', tarballs.get(name)!, 'package/package.json'], work),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      license: 'MIT',
      repository: {
        type: 'git',
        url: 'git+https://github.com/mw-js/mw.git',
        directory: `packages/${name}`,
      },
      homepage: `https://github.com/mw-js/mw/tree/main/packages/${name}#readme`,
      bugs: { url: 'https://github.com/mw-js/mw/issues' },
    });
  });

  it('is required from CommonJS and imported from ESM with the same exports', () => {
    const cjs = run(
      'node',
      ['-p', `JSON.stringify(Object.keys(require('@mw/${name}')).sort())`],
      dir,
    );
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const m = await import('@mw/${name}'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      ],
      dir,
    );
    expect(JSON.parse(esm)).toEqual(JSON.parse(cjs));
    expect(JSON.parse(cjs)).toMatchSnapshot();
  });

  it('type-checks a consumer under node16 (CommonJS and ESM) resolution', () => {
    const source = `import * as pkg from '@mw/${name}';\nexport const names: string[] = Object.keys(pkg);\n`;
    fs.writeFileSync(path.join(dir, 'consumer.cts'), source);
    fs.writeFileSync(path.join(dir, 'consumer.mts'), source);
    const args = [
      '--noEmit',
      '--strict',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--types',
      'node',
      '--typeRoots',
      path.join(root, 'node_modules/@types'),
      'consumer.cts',
      'consumer.mts',
    ];
    expect(() => run(bin('tsc'), args, dir)).not.toThrow();
  });

  it('passes publint', () => {
    const out = run(bin('publint'), ['run', tarballs.get(name)!, '--strict'], work);
    expect(out).toMatch(/All good!/);
  });

  it('passes are-the-types-wrong', () => {
    expect(() => run(bin('attw'), [tarballs.get(name)!, '--format', 'ascii'], work)).not.toThrow();
  });
});
