import {
  booleanOption,
  functionOption,
  integerOption,
  isToken,
  optionError,
  readOptions,
  rejectUnknownOptions,
  stringArrayOption,
} from '@mw/core';

describe('option helpers', () => {
  it('optionError names the package and the option', () => {
    const err = optionError('cors', 'allowOrigins', 'must be an array of strings');
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('@mw/cors: option "allowOrigins" must be an array of strings');
  });

  describe('readOptions(pkg, value)', () => {
    it('treats undefined as no options', () => expect(readOptions('x', undefined)).toEqual({}));
    it.each([[null], [[]], ['str'], [1]])('rejects %j', (value) => {
      expect(() => readOptions('x', value as unknown as object)).toThrow(
        /^@mw\/x: options must be an object$/,
      );
    });
  });

  describe('rejectUnknownOptions(pkg, options, known)', () => {
    it('suggests the right spelling of a mis-cased option', () => {
      expect(() => rejectUnknownOptions('gzip', { minimumsize: 1 }, ['minimumSize'])).toThrow(
        '@mw/gzip: unknown option "minimumsize"; did you mean "minimumSize"?',
      );
    });
    it('lists the known options otherwise', () => {
      expect(() => rejectUnknownOptions('gzip', { level: 1 }, ['a', 'b'])).toThrow(
        '@mw/gzip: unknown option "level"; known options are a, b',
      );
    });
    it('names a nested option as parent.key', () => {
      expect(() => rejectUnknownOptions('r', { maxage: 1 }, ['maxAge'], 'hsts')).toThrow(
        '@mw/r: option "hsts.maxage" is unknown; did you mean "maxAge"?',
      );
      expect(() => rejectUnknownOptions('r', { x: 1 }, ['a', 'b'], 'hsts')).toThrow(
        '@mw/r: option "hsts.x" is unknown; known keys are a, b',
      );
    });
    it('accepts known options', () => {
      expect(() => rejectUnknownOptions('gzip', { a: 1 }, ['a'])).not.toThrow();
    });
  });

  describe('booleanOption', () => {
    it('returns the fallback for undefined', () =>
      expect(booleanOption('p', 'o', undefined, true)).toBe(true));
    it.each([[1], ['true'], [null]])('rejects %j', (v) => {
      expect(() => booleanOption('p', 'o', v, true)).toThrow('@mw/p: option "o" must be a boolean');
    });
  });

  describe('integerOption', () => {
    it.each<[unknown, string]>([
      [-1, 'must be an integer >= 0'],
      [1.5, 'must be an integer >= 0'],
      [NaN, 'must be an integer >= 0'],
      ['5', 'must be an integer >= 0'],
      [Infinity, 'must be an integer >= 0'],
    ])('rejects %j', (v, message) => {
      expect(() => integerOption('p', 'o', v, 1)).toThrow(`@mw/p: option "o" ${message}`);
    });
    it('states the range when there is a maximum', () => {
      expect(() => integerOption('gzip', 'compressLevel', 10, 9, { min: 1, max: 9 })).toThrow(
        '@mw/gzip: option "compressLevel" must be an integer from 1 to 9',
      );
    });
    it('accepts in-range integers and uses the fallback', () => {
      expect(integerOption('p', 'o', 5, 1, { min: 1, max: 9 })).toBe(5);
      expect(integerOption('p', 'o', undefined, 1)).toBe(1);
    });
  });

  describe('stringArrayOption', () => {
    it.each([['a'], [[1]], [{}], [null]])('rejects %j', (v) => {
      expect(() => stringArrayOption('cors', 'allowOrigins', v, [])).toThrow(
        '@mw/cors: option "allowOrigins" must be an array of strings',
      );
    });
    it("copies the array so the caller's stays untouched", () => {
      const input = Object.freeze(['a']);
      const out = stringArrayOption('p', 'o', input, []);
      expect(out).toEqual(['a']);
      expect(out).not.toBe(input);
    });
  });

  describe('functionOption', () => {
    it('rejects a non-function', () => {
      expect(() => functionOption('p', 'o', 'x')).toThrow('@mw/p: option "o" must be a function');
    });
    it('passes a function through', () => {
      const fn = () => true;
      expect(functionOption('p', 'o', fn)).toBe(fn);
    });
  });

  describe('isToken', () => {
    it.each(['GET', 'X-Custom', "a!#$%&'*+-.^_`|~z", 'Content-Type'])('accepts %j', (t) => {
      expect(isToken(t)).toBe(true);
    });
    it.each(['', 'a b', 'a:b', 'a,b', 'é', 'a\r\nb', '(x)'])('rejects %j', (t) => {
      expect(isToken(t)).toBe(false);
    });
  });
});
