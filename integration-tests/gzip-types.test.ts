/**
 * The shipped declarations: importing `@mw/gzip` makes `res.flush()` compile on Node's
 * `ServerResponse` and Express's `Response` without a cast (API.md, "gzip additions"; issue 16
 * paper cut 1). Compiles the fixtures in integration-tests/gzip/ with the TypeScript compiler
 * against the BUILT .d.ts (CommonJS resolution) and .d.mts (ESM), as a user's project would.
 */
import path from 'node:path';
import ts from 'typescript';
import { diagnosticsUnder, userProgram } from './support/typecheck';

interface Outcome {
  errors: string[];
  gzipDeclarations: string[];
}

function compile(files: string[]): Outcome {
  const program = userProgram(files.map((file) => path.join(__dirname, 'gzip', file)));
  const errors = diagnosticsUnder(program, ['/packages/gzip/', '/integration-tests/']).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}: ` : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  const gzipDeclarations = program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => f.includes('/packages/gzip/'))
    .map((f) => f.slice(f.indexOf('/packages/gzip/') + 1));
  return { errors, gzipDeclarations };
}

describe('@mw/gzip type declarations', () => {
  it.each<[string, string[], string[]]>([
    ['an ESM file (.d.mts)', ['types.mts'], ['packages/gzip/dist/index.d.mts']],
    ['a CommonJS file (.d.ts)', ['types.cts'], ['packages/gzip/dist/index.d.ts']],
    [
      'a CommonJS and an ESM file in one program (.d.ts and .d.mts together)',
      ['types.cts', 'types.mts'],
      ['packages/gzip/dist/index.d.ts', 'packages/gzip/dist/index.d.mts'],
    ],
  ])(
    'type res.flush() on ServerResponse and Express Response in %s, without a cast',
    (_name, files, declarations) => {
      const outcome = compile(files);
      expect(outcome.errors).toEqual([]);
      expect(outcome.gzipDeclarations.sort()).toEqual(declarations.sort());
    },
    90_000,
  );

  it('does not type res.flush() in a program that does not import @mw/gzip', () => {
    const { errors } = compile(['without-import.mts']);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toMatch(/^without-import\.mts: TS2339 Property 'flush' does not exist/);
    }
  }, 90_000);
});
