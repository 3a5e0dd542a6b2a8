/** The README's options match the code: every option the factory accepts, and no other. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';

/** The option names the factory accepts, read from its own unknown-option error. */
function knownOptions(): string[] {
  let message = '';
  expect(() => {
    try {
      gzip({ notAnOption: true } as GzipOptions);
    } catch (err) {
      message = (err as Error).message;
      throw err;
    }
  }).toThrow(/known options are/);
  return message.replace(/^.*known options are /, '').split(', ');
}

describe('packages/gzip/README.md', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('documents every option the code accepts, and no other, one ##### heading each', () => {
    const headings = [...readme.matchAll(/^##### `(\w+)`$/gm)].map((m) => m[1]);
    expect(headings.sort()).toEqual(knownOptions().sort());
  });

  it('lists every option in the options table', () => {
    for (const name of knownOptions()) {
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    }
  });
});
