import http from 'node:http';
import request from 'supertest';
import { mergeVary, vary, varyFields } from '@mw/core';

describe('vary(res, field)', () => {
  const serve = (setup: (res: http.ServerResponse) => void) =>
    http.createServer((_req, res) => {
      setup(res);
      res.end('ok');
    });

  it('sets Vary when the response has none', async () => {
    const res = await request(serve((r) => vary(r, 'Origin'))).get('/');
    expect(res.headers.vary).toBe('Origin');
  });

  it('appends to a Vary the app set, never overwriting it', async () => {
    const res = await request(
      serve((r) => {
        r.setHeader('Vary', 'Accept-Encoding');
        vary(r, 'Origin');
      }),
    ).get('/');
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('keeps the tokens of every existing Vary line (Starlette drops the second)', async () => {
    const res = await request(
      serve((r) => {
        r.setHeader('Vary', ['Accept-Encoding', 'Cookie']);
        vary(r, 'Origin');
      }),
    ).get('/');
    expect(res.headers.vary).toBe('Accept-Encoding, Cookie, Origin');
  });

  it('accepts a list of fields', async () => {
    const res = await request(serve((r) => vary(r, ['Origin', 'Accept-Encoding']))).get('/');
    expect(res.headers.vary).toBe('Origin, Accept-Encoding');
  });

  it.each(['bad field', 'a:b', '', 'x\r\ny'])('rejects the invalid field name %j', (name) => {
    expect(() => varyFields(name === '' ? [' ,'] : name)).toThrow(TypeError);
  });
});

describe('mergeVary(existing, fields)', () => {
  it.each<[string | string[] | undefined, string[], string]>([
    [undefined, ['Origin'], 'Origin'],
    ['', ['Origin'], 'Origin'],
    ['Origin', ['Origin'], 'Origin'],
    ['origin', ['Origin'], 'origin'],
    ['Accept-Encoding', ['Origin'], 'Accept-Encoding, Origin'],
    ['Accept-Encoding,Origin', ['origin'], 'Accept-Encoding,Origin'],
    ['Accept-Encoding, , Origin', ['Cookie'], 'Accept-Encoding, Origin, Cookie'],
    ['Origin, origin', ['Cookie'], 'Origin, Cookie'],
    ['*', ['Origin'], '*'],
    ['Accept-Encoding, *', ['Origin'], '*'],
    ['Accept-Encoding', ['*'], '*'],
    [['Accept-Encoding', 'Cookie'], ['Origin'], 'Accept-Encoding, Cookie, Origin'],
    [['Accept-Encoding', 'accept-encoding'], ['Cookie'], 'Accept-Encoding, Cookie'],
    ['A', ['B', 'C', 'b'], 'A, B, C'],
  ])('merges %j with %j into %j', (existing, fields, expected) => {
    expect(mergeVary(existing, varyFields(fields))).toBe(expected);
  });
});
