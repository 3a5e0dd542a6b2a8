/**
 * The README code blocks and the example files that hold them. Every fenced ts/js block in any
 * README of the repository carries `<!-- example: examples/readme/<pkg>/<name>.<ext> -->` on
 * the line right above it, and that file holds exactly the block's text, so the README can be
 * type-checked and run (see readme-examples.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');

/** Fence info strings that are code we test; anything else (sh, python, text) is prose. */
const CODE_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  ts: ['.ts', '.mts', '.cts'],
  typescript: ['.ts', '.mts', '.cts'],
  js: ['.js', '.mjs', '.cjs'],
  javascript: ['.js', '.mjs', '.cjs'],
  mjs: ['.mjs'],
  cjs: ['.cjs'],
};

const MARKER = /^<!--\s*example:\s*(\S+)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

export interface Block {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  /** The block's text, every line followed by `\n`. */
  text: string;
  /** The marker's path, relative to the repository root; undefined when there is no marker. */
  example: string | undefined;
}

/** Every README.md of the repository (outside node_modules, dist and dot folders), sorted. */
export function readmes(dir = root): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...readmes(full));
    else if (entry.name === 'README.md') found.push(path.relative(root, full));
  }
  return found.sort();
}

/** True when a fence's info string names code this repository tests. */
export function isCode(language: string): boolean {
  return Object.hasOwn(CODE_LANGUAGES, language.toLowerCase());
}

/** The file extensions an example of `language` may have. */
export function extensionsFor(language: string): readonly string[] {
  return CODE_LANGUAGES[language.toLowerCase()] ?? [];
}

/** The ts/js blocks of one README's text, with the marker above each (if any). */
export function codeBlocks(readme: string, source: string): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', language = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    if (isCode(language)) {
      const body = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      const marker = MARKER.exec((lines[i - 1] ?? '').trim());
      blocks.push({
        readme,
        line: i + 1,
        language,
        text: body.map((l) => `${l}\n`).join(''),
        example: marker?.[1],
      });
    }
    i = end;
  }
  return blocks;
}

/** Every tested block of every README. */
export function allBlocks(): Block[] {
  return readmes().flatMap((readme) =>
    codeBlocks(readme, fs.readFileSync(path.join(root, readme), 'utf8')),
  );
}

/** Every file under examples/readme, relative to the repository root, sorted. */
export function exampleFiles(dir = path.join(root, 'examples', 'readme')): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...exampleFiles(full));
    else found.push(path.relative(root, full));
  }
  return found.sort();
}
