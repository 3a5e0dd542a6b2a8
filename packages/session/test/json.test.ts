/** The payload JSON, written as Python's json.dumps writes it. */
import { pythonJson, quote } from '../src/json';

describe('session(options)', () => {
  describe('the payload JSON (Python json.dumps)', () => {
    it.each<[string, unknown, string]>([
      ['an empty object', {}, '{}'],
      ['separators ", " and ": "', { a: 1, b: [1, 2] }, '{"a": 1, "b": [1, 2]}'],
      [
        'nested values',
        { a: { b: null, c: true, d: false } },
        '{"a": {"b": null, "c": true, "d": false}}',
      ],
      ['an empty array', { a: [] }, '{"a": []}'],
      ['non-ASCII as lower-case \\u escapes', { name: 'Zoë' }, '{"name": "Zo\\u00eb"}'],
      ['a non-BMP character as a surrogate pair', { e: '😀' }, '{"e": "\\ud83d\\ude00"}'],
      ['short escapes', { s: '"\\\n\r\t\b\f' }, '{"s": "\\"\\\\\\n\\r\\t\\b\\f"}'],
      ['other control characters and DEL', { s: '\u0001\u007f' }, '{"s": "\\u0001\\u007f"}'],
      ['"/" as it is', { s: 'a/b' }, '{"s": "a/b"}'],
      ['non-ASCII keys', { ü: 1 }, '{"\\u00fc": 1}'],
      ['floats', { f: 1.5, g: -0.25 }, '{"f": 1.5, "g": -0.25}'],
      ['non-finite numbers as null', { n: NaN, i: Infinity }, '{"n": null, "i": null}'],
      [
        'undefined and functions left out of objects',
        { u: undefined, f: () => 1, k: 1 },
        '{"k": 1}',
      ],
      ['undefined in arrays as null', { a: [undefined, 1] }, '{"a": [null, 1]}'],
      ['a Date through toJSON', { d: new Date(0) }, '{"d": "1970-01-01T00:00:00.000Z"}'],
    ])('writes %s', (_name, value, expected) => {
      expect(pythonJson(value)).toBe(expected);
    });

    it('agrees with JSON.parse', () => {
      const value = { a: 'Zoë 😀 "x"\n', b: [1, { c: null }], d: 'plain' };
      expect(JSON.parse(pythonJson(value)!)).toEqual(value);
    });

    it('escapes every character outside printable ASCII', () => {
      for (let code = 0; code < 0x3000; code++) {
        const ch = String.fromCharCode(code);
        const plain = code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\';
        if (plain) expect(quote(ch)).toBe(`"${ch}"`);
        else expect(quote(ch)).toMatch(/^"\\(u[0-9a-f]{4}|["\\nrtbf])"$/);
      }
    });

    it.each<[string, unknown, string]>([
      ['a small BigInt', { n: 1n }, '{"n": 1}'],
      ['a 64-bit id (issue 13.3)', { id: 1234567890123456789n }, '{"id": 1234567890123456789}'],
      [
        'a negative BigInt beyond 2^64',
        { n: -123456789012345678901234n },
        '{"n": -123456789012345678901234}',
      ],
    ])('writes %s as Python writes an int', (_name, value, expected) => {
      expect(pythonJson(value)).toBe(expected);
    });

    it.each<[string, unknown, RegExp]>([
      [
        'a cycle',
        (() => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        })(),
        /circular/,
      ],
    ])('throws a TypeError for %s', (_name, value, message) => {
      expect(() => pythonJson(value)).toThrow(message);
    });

    it('allows the same object twice when it is not a cycle', () => {
      const shared = { x: 1 };
      expect(pythonJson({ a: shared, b: shared })).toBe('{"a": {"x": 1}, "b": {"x": 1}}');
    });
  });
});
