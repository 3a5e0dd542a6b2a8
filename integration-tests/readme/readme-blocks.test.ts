/**
 * README code blocks are tested code: every fenced ts/js block of every README has an
 * `<!-- example: PATH -->` marker right above it, and the file at PATH (under examples/readme)
 * holds exactly the block's text. readme-examples.test.ts type-checks and runs those files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { allBlocks, codeBlocks, exampleFiles, extensionsFor, readmes, root } from './blocks';

const blocks = allBlocks();

describe('codeBlocks(readme, source)', () => {
  const fence = '```';
  it.each([
    [
      'reads a ts block and the marker right above it',
      `<!-- example: examples/readme/x/a.ts -->\n${fence}ts\nconst a = 1;\n${fence}\n`,
      [{ language: 'ts', line: 2, text: 'const a = 1;\n', example: 'examples/readme/x/a.ts' }],
    ],
    [
      'reports a js block without a marker',
      `Some text\n\n${fence}js\nrequire('x');\n${fence}\n`,
      [{ language: 'js', line: 3, text: "require('x');\n", example: undefined }],
    ],
    [
      'does not take a marker separated from the block by a blank line',
      `<!-- example: examples/readme/x/a.ts -->\n\n${fence}ts\nx;\n${fence}\n`,
      [{ language: 'ts', line: 3, text: 'x;\n', example: undefined }],
    ],
    [
      'skips sh, python and plain blocks, and fences inside them',
      `${fence}sh\nnpm i\n${fence}\n${fence}python\nx = 1\n${fence}\n${fence}\n${fence}ts\n`,
      [],
    ],
    [
      'reads mjs and cjs blocks, and keeps blank lines inside a block',
      `${fence}cjs\na;\n\nb;\n${fence}\n${fence}mjs\nc;\n${fence}\n`,
      [
        { language: 'cjs', line: 1, text: 'a;\n\nb;\n', example: undefined },
        { language: 'mjs', line: 6, text: 'c;\n', example: undefined },
      ],
    ],
  ])('%s', (_name, source, expected) => {
    expect(codeBlocks('README.md', source)).toEqual(
      expected.map((block) => ({ readme: 'README.md', ...block })),
    );
  });
});

describe('the READMEs', () => {
  it('include the root README, every package README and examples/README.md', () => {
    const packages = fs.readdirSync(path.join(root, 'packages')).sort();
    expect(readmes()).toEqual(
      expect.arrayContaining([
        'README.md',
        'examples/README.md',
        ...packages.map((name) => `packages/${name}/README.md`),
      ]),
    );
  });

  it('have ts/js blocks to check', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });
});

describe.each(readmes())('%s', (readme) => {
  const own = blocks.filter((block) => block.readme === readme);
  if (own.length === 0) {
    it('has no ts/js code block', () => expect(own).toEqual([]));
    return;
  }
  describe.each(own.map((block) => [`the ${block.language} block at line ${block.line}`, block]))(
    '%s',
    (_name, block) => {
      it('has an <!-- example: examples/readme/... --> marker on the line above', () => {
        expect(block.example ?? '(no marker)').toMatch(/^examples\/readme\/[a-z-]+\/[\w.-]+$/);
      });

      it('names an example file of its language', () => {
        expect(extensionsFor(block.language)).toContain(path.extname(block.example ?? ''));
      });

      it('is exactly the text of its example file', () => {
        const file = path.join(root, block.example ?? 'missing');
        expect(fs.existsSync(file) && fs.readFileSync(file, 'utf8')).toBe(block.text);
      });
    },
  );
});

describe('examples/readme', () => {
  it.each(exampleFiles())('%s is the text of exactly one README block', (file) => {
    expect(blocks.filter((block) => block.example === file).map((b) => b.readme)).toHaveLength(1);
  });
});
