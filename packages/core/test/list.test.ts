import { headerText, MAX_LIST_LENGTH, parseWeightedList, splitList } from '@mw/core';

describe('splitList(value, maxLength)', () => {
  it.each<[string, string[]]>([
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    [' a ,\tb\t, c ', ['a', 'b', 'c']],
    ['X-Token, content-type', ['X-Token', 'content-type']],
    ['a,', ['a', '']],
    [',a', ['', 'a']],
    ['a,,b', ['a', '', 'b']],
    ['', ['']],
    ['   ', ['']],
  ])('splits %j into %j', (value, expected) => {
    expect(splitList(value)).toEqual(expected);
  });

  it('refuses a value longer than the bound', () => {
    expect(splitList('a'.repeat(MAX_LIST_LENGTH + 1))).toBeUndefined();
    expect(splitList('a,b', 2)).toBeUndefined();
    expect(splitList('a,b', 3)).toEqual(['a', 'b']);
  });

  it('handles a 100 KB header in milliseconds', () => {
    const header = 'x-h,'.repeat(25_000) + ' '.repeat(1000) + ',';
    const start = performance.now();
    for (let i = 0; i < 10; i++) splitList(header, Infinity);
    expect(splitList(header)).toBeUndefined();
    expect(splitList(header, Infinity)?.length).toBe(25_002);
    expect((performance.now() - start) / 10).toBeLessThan(20);
  });

  it('scans whitespace-heavy input in linear time (no ReDoS)', () => {
    const header = 'a' + ' '.repeat(100_000) + 'b';
    const start = performance.now();
    expect(splitList(header, Infinity)).toEqual(['a' + ' '.repeat(100_000) + 'b']);
    expect(performance.now() - start).toBeLessThan(20);
  });
});

describe('headerText(value)', () => {
  it.each<[number | string | string[] | undefined, string | undefined]>([
    [undefined, undefined],
    ['gzip', 'gzip'],
    [['no-cache', 'no-transform'], 'no-cache, no-transform'],
    [42, '42'],
  ])('turns %j into %j', (value, expected) => {
    expect(headerText(value)).toBe(expected);
  });
});

describe('parseWeightedList(value, maxLength)', () => {
  const summary = (value: string) =>
    parseWeightedList(value)?.map((item) => `${item.value}=${item.q}`);

  it.each<[string, string[]]>([
    ['gzip', ['gzip=1']],
    ['GZIP, Br', ['gzip=1', 'br=1']],
    ['gzip;q=0.8, br;q=1', ['gzip=0.8', 'br=1']],
    ['gzip; q=0', ['gzip=0']],
    ['gzip;Q=0.5', ['gzip=0.5']],
    ['gzip ; q = 0.5', ['gzip=0.5']],
    ['gzip;q=0.001', ['gzip=0.001']],
    ['gzip;q=1.000', ['gzip=1']],
    ['*;q=0, identity', ['*=0', 'identity=1']],
    ['gzip;level=1;q=0.3', ['gzip=0.3']],
    ['gzip;level=1', ['gzip=1']],
    ['gzip;q=1.5, br', ['br=1']],
    ['gzip;q=0.1234, br', ['br=1']],
    ['gzip;q=abc, br', ['br=1']],
    ['gzip;q=-1, br', ['br=1']],
    [',,gzip,,', ['gzip=1']],
    ['', []],
  ])('parses %j as %j', (value, expected) => {
    expect(summary(value)).toEqual(expected);
  });

  it('records each item position', () => {
    expect(parseWeightedList('a, , b')?.map((i) => i.index)).toEqual([0, 2]);
  });

  it('refuses a value longer than the bound', () => {
    expect(parseWeightedList('gzip,'.repeat(5000))).toBeUndefined();
  });

  it('handles a 100 KB header in milliseconds', () => {
    const header = 'gzip;q=0.5;a=b;c=d, '.repeat(5000);
    const start = performance.now();
    expect(parseWeightedList(header, Infinity)?.length).toBe(5000);
    expect(performance.now() - start).toBeLessThan(50);
  });
});
