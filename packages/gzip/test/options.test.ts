/** Construction: validation, defaults, no mutation, the stack tag. */
import { middlewareKind } from '@mw/core';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';

describe('gzip(options)', () => {
  describe('when an option is invalid', () => {
    it.each([
      ['minimumSize', -1],
      ['minimumSize', 1.5],
      ['minimumSize', '500'],
      ['minimumSize', Number.NaN],
      ['compressLevel', 0],
      ['compressLevel', 10],
      ['compressLevel', '9'],
      ['brotliQuality', -1],
      ['brotliQuality', 12],
      ['brotliQuality', 4.5],
      ['excludeContentTypes', 'image/png'],
      ['excludeContentTypes', [42]],
      ['excludeContentTypes', ['png']],
      ['excludeContentTypes', ['*/*']],
      ['excludeContentTypes', ['image/']],
      ['excludeContentTypes', ['image/p ng']],
      ['encodings', 'gzip'],
      ['encodings', []],
      ['encodings', ['gzip', 'compress']],
      ['encodings', ['GZIP']],
      ['encodings', ['gzip', 'gzip']],
      ['encodings', [null]],
      ['filter', true],
      ['filter', 'text/*'],
      ['filter', null],
    ])('throws a TypeError naming option "%s" for %j', (name, value) => {
      const options = { [name]: value } as unknown as GzipOptions;
      expect(() => gzip(options)).toThrow(TypeError);
      expect(() => gzip(options)).toThrow(new RegExp(`^@mw/gzip: option "${name}" `));
    });

    it('rejects an unknown option name with a hint', () => {
      expect(() => gzip({ minimumsize: 1 } as unknown as GzipOptions)).toThrow(
        /@mw\/gzip: unknown option "minimumsize"; did you mean "minimumSize"\?/,
      );
    });

    it.each([null, 'fast', 9, []])('rejects options %j that are not an object', (value) => {
      expect(() => gzip(value as unknown as GzipOptions)).toThrow(
        /@mw\/gzip: options must be an object/,
      );
    });
  });

  describe('when the options are valid', () => {
    it.each<GzipOptions>([
      {},
      { minimumSize: 0 },
      { compressLevel: 1 },
      { compressLevel: 9 },
      { brotliQuality: 0 },
      { brotliQuality: 11 },
      { excludeContentTypes: [] },
      { excludeContentTypes: ['Image/PNG', 'text/*'] },
      { encodings: ['zstd', 'br', 'gzip', 'deflate'] },
      { filter: () => true },
      { filter: undefined },
    ])('accepts %j', (options) => {
      expect(typeof gzip(options)).toBe('function');
    });

    it('accepts no argument at all', () => {
      expect(typeof gzip()).toBe('function');
    });

    it('does not mutate a frozen options object', () => {
      const options = Object.freeze({
        minimumSize: 10,
        encodings: Object.freeze(['br', 'gzip'] as const),
        excludeContentTypes: Object.freeze(['image/*']),
      });
      expect(() => gzip(options)).not.toThrow();
    });

    it('returns a named middleware tagged "gzip" for stack()', () => {
      const mw = gzip();
      expect(mw.name).toBe('gzipMiddleware');
      expect(middlewareKind(mw)).toBe('gzip');
    });
  });
});
