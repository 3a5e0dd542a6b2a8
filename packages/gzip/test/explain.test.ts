import http from 'node:http';
import request from 'supertest';
import { gzip } from '@mw/gzip';
import type { GzipOptions } from '@mw/gzip';
import { decisions } from '../../../test-support/decisions';
import { app } from './support';
import type { Handler } from './support';

const BIG = 'x'.repeat(2000);
const send = (options: GzipOptions, handler: Handler, accept = 'gzip', method = 'GET') =>
  decisions('gzip', () => {
    const agent = request(http.createServer(app(gzip(options), handler)));
    const test = method === 'HEAD' ? agent.head('/feed?k=v') : agent.get('/feed?k=v');
    return test.set('Accept-Encoding', accept);
  });
const body =
  (headers: Record<string, string> = {}, text = BIG, status = 200): Handler =>
  (_req, res) => {
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.end(text);
  };

describe('gzip(options) on the mw:gzip diagnostics channel', () => {
  it.each<[string, Handler, string]>([
    [
      'an excluded type',
      body({ 'Content-Type': 'text/event-stream' }),
      'skipped: Content-Type text/event-stream is excluded',
    ],
    ['a small body', body({}, 'tiny'), 'skipped: body of 4 bytes is below minimumSize 500'],
    [
      'an encoded body',
      body({ 'Content-Encoding': 'x-mine' }),
      'skipped: already encoded (Content-Encoding x-mine)',
    ],
    [
      'no-transform',
      body({ 'Cache-Control': 'public, no-transform' }),
      'skipped: Cache-Control: no-transform',
    ],
    ['a 304', body({}, '', 304), 'skipped: status 304 has no body to compress'],
    [
      'a body the app transfer-coded',
      body({ 'Transfer-Encoding': 'gzip, chunked' }),
      'skipped: already transfer-coded (Transfer-Encoding gzip, chunked)',
    ],
  ])('publishes skipped for %s, with the rule', async (_name, handler, reason) => {
    expect(await send({}, handler)).toEqual([
      expect.objectContaining({ package: 'gzip', event: 'skipped', reason, path: '/feed' }),
    ]);
  });

  it('publishes skipped when the filter option returns false', async () => {
    expect(await send({ filter: () => false }, body())).toEqual([
      expect.objectContaining({
        event: 'skipped',
        reason: 'skipped: the filter option returned false',
      }),
    ]);
  });

  it('publishes skipped for a HEAD request', async () => {
    expect(await send({}, body(), 'gzip', 'HEAD')).toEqual([
      expect.objectContaining({ event: 'skipped', reason: 'skipped: HEAD request' }),
    ]);
  });

  it('publishes not-acceptable when Accept-Encoding allows none of encodings', async () => {
    expect(await send({}, body(), 'br;q=1, gzip;q=0')).toEqual([
      expect.objectContaining({
        event: 'not-acceptable',
        reason: 'skipped: Accept-Encoding br;q=1, gzip;q=0 accepts none of gzip',
      }),
    ]);
  });

  it.each<[string, Handler, string]>([
    ['a single-shot body', body(), 'compressed with gzip (single-shot, 2000 bytes)'],
    [
      'a streamed body',
      (_req, res) => {
        res.write(BIG);
        res.end(BIG);
      },
      'compressed with gzip (streamed)',
    ],
  ])('publishes compressed for %s, naming the encoding', async (_name, handler, reason) => {
    expect(await send({}, handler)).toEqual([
      expect.objectContaining({ event: 'compressed', reason, encoding: 'gzip', status: 200 }),
    ]);
  });
});
