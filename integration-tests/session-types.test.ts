/**
 * The shipped declarations: `req.session` is typed for Express and node:http users from the
 * built .d.ts (CommonJS) and .d.mts (ESM), and `SessionData` augments. Compiles the fixture in
 * integration-tests/session/ with the TypeScript compiler, as a user's project would.
 */
import path from 'node:path';
import ts from 'typescript';
import { diagnosticsUnder, userProgram } from './support/typecheck';

function diagnostics(files: string[]): string[] {
  const program = userProgram(files.map((file) => path.join(__dirname, 'session', file)));
  return diagnosticsUnder(program, ['/packages/session/', '/integration-tests/']).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

describe('@mw/session type declarations', () => {
  it.each<[string, string[]]>([
    ['an ESM file (.d.mts)', ['types.mts']],
    [
      'a CommonJS and an ESM file in one program (.d.ts and .d.mts together)',
      ['types.cts', 'types.mts'],
    ],
  ])(
    'type req.session in %s without declaration merging',
    (_name, files) => {
      expect(diagnostics(files)).toEqual([]);
    },
    90_000,
  );
});
