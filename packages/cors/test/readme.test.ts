import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';

/** The option names the factory accepts, read from its own unknown-option error. */
function knownOptions(): string[] {
  let message = '';
  expect(() => {
    try {
      cors({ notAnOption: true } as CorsOptions);
    } catch (err) {
      message = (err as Error).message;
      throw err;
    }
  }).toThrow(/known options are/);
  return message.replace(/^.*known options are /, '').split(', ');
}

describe('packages/cors/README.md', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('documents every option the code accepts, and no other, one ##### heading each', () => {
    const headings = [...readme.matchAll(/^##### (\w+)$/gm)].map((m) => m[1]);
    expect(headings.sort()).toEqual(knownOptions().sort());
  });

  it('lists every option in the options table', () => {
    for (const name of knownOptions())
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it.each([
    ['allowMethods', "`['GET']`"],
    ['maxAge', '`600`'],
    ['allowOrigins', '`[]`'],
    ['allowCredentials', '`false`'],
    ['allowPrivateNetwork', '`false`'],
  ])('gives %s the default %s', (name, value) => {
    expect(readme).toMatch(
      new RegExp(`##### ${name}\\n\\nType: [^\\n]*Default: ${value.replace(/[[\]]/g, '\\$&')}`),
    );
  });
});
