import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUpgrade } from '@mw/core';

/** Sends `headers` to a server and reports what `isUpgrade` said in whichever event got it. */
async function seen(
  headers: Record<string, string>,
  withUpgradeListener: boolean,
  method = 'GET',
): Promise<[string, boolean]> {
  let result: [string, boolean] | undefined;
  const record = (event: string) => (req: IncomingMessage, socketOrRes: { end(): void }) => {
    result = [event, isUpgrade(req)];
    socketOrRes.end();
  };
  const server = http.createServer(record('request'));
  if (withUpgradeListener) server.on('upgrade', record('upgrade'));
  server.on('connect', record('connect'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = http.request({ port, host: '127.0.0.1', method, path: '/', headers });
    const done = (): void => resolve();
    req.on('response', (res) => res.resume().on('end', done));
    req.on('upgrade', done);
    req.on('connect', done);
    req.on('error', done);
    req.end();
  });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return result!;
}

const WEBSOCKET = { Connection: 'keep-alive, Upgrade', Upgrade: 'websocket' };

describe('isUpgrade(req)', () => {
  it('is true for a WebSocket handshake in the server upgrade event', async () => {
    expect(await seen(WEBSOCKET, true)).toEqual(['upgrade', true]);
  });

  it.each([
    ['an ordinary request', {}, true],
    ['Upgrade without Connection: upgrade', { Upgrade: 'websocket' }, true],
    ['a handshake to a server with no upgrade listener (answered as HTTP)', WEBSOCKET, false],
  ])('is false for %s', async (_name, headers, listener) => {
    expect(await seen(headers, listener)).toEqual(['request', false]);
  });

  it('is false for CONNECT', async () => {
    expect(await seen({}, true, 'CONNECT')).toEqual(['connect', false]);
  });
});
