import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onBeforeHead } from '@mw/core';

/** Serves one request with `handler`, returning the client's status, message and raw headers. */
async function roundTrip(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ status: number; message: string; raw: string[]; body: string }>(
      (resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/' }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                message: res.statusMessage!,
                raw: res.rawHeaders,
                body,
              }),
            );
          })
          .on('error', reject);
      },
    );
  } finally {
    server.close();
  }
}

/** Raw header lines as lower-cased `name: value` strings, the framing headers left out. */
const lines = (raw: string[]) =>
  raw
    .reduce<string[]>(
      (out, v, i) => (i % 2 ? out : [...out, `${v.toLowerCase()}: ${raw[i + 1]}`]),
      [],
    )
    .filter((l) => !/^(date|connection|keep-alive|transfer-encoding|content-length):/.test(l));

describe('onBeforeHead(res, listener)', () => {
  // Each writeHead form, with the listener adding a header: the app's headers must arrive
  // intact (on-headers rebuilt flat arrays wrongly, CVE-2025-7339) and the listener's too.
  const forms: [string, (res: http.ServerResponse) => void, string[], string][] = [
    ['writeHead(status)', (r) => r.writeHead(201), [], 'Created'],
    [
      'writeHead(status, object)',
      (r) => r.writeHead(201, { 'X-A': '1', 'Set-Cookie': ['a=1', 'b=2'] }),
      ['x-a: 1', 'set-cookie: a=1', 'set-cookie: b=2'],
      'Created',
    ],
    [
      'writeHead(status, flat array)',
      (r) => r.writeHead(201, ['X-A', '1', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']),
      ['x-a: 1', 'set-cookie: a=1', 'set-cookie: b=2'],
      'Created',
    ],
    [
      'writeHead(status, array of pairs)',
      (r) =>
        r.writeHead(201, [
          ['X-A', '1'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ] as unknown as http.OutgoingHttpHeader[]),
      ['x-a: 1', 'set-cookie: a=1', 'set-cookie: b=2'],
      'Created',
    ],
    ['writeHead(status, message)', (r) => r.writeHead(201, 'Made It'), [], 'Made It'],
    [
      'writeHead(status, message, object)',
      (r) => r.writeHead(201, 'Made It', { 'X-A': '1' }),
      ['x-a: 1'],
      'Made It',
    ],
    [
      'writeHead(status, message, flat array)',
      (r) => r.writeHead(201, 'Made It', ['X-A', '1', 'X-A', '2']),
      ['x-a: 1', 'x-a: 2'],
      'Made It',
    ],
  ];

  it.each(forms)('sees and keeps every header of %s', async (_name, write, expected, message) => {
    let seenStatus = 0;
    const out = await roundTrip((_req, res) => {
      onBeforeHead(res, (r) => {
        seenStatus = r.statusCode;
        r.setHeader('X-Hook', String(r.getHeader('x-a') ?? 'none'));
      });
      write(res);
      res.end('body');
    });
    expect(seenStatus).toBe(201);
    expect(out.status).toBe(201);
    expect(out.message).toBe(message);
    const got = lines(out.raw);
    for (const line of expected) expect(got).toContain(line);
    expect(got.filter((l) => l.startsWith('set-cookie')).length).toBe(
      expected.filter((l) => l.startsWith('set-cookie')).length,
    );
    expect(got.some((l) => l.startsWith('x-hook: '))).toBe(true);
    expect(out.body).toBe('body');
  });

  it.each<[string, (res: http.ServerResponse) => void]>([
    ['res.end(body)', (r) => r.end('implicit')],
    [
      'res.write(chunk) then res.end()',
      (r) => {
        r.write('impl');
        r.end('icit');
      },
    ],
    [
      'res.flushHeaders()',
      (r) => {
        r.flushHeaders();
        r.end('implicit');
      },
    ],
  ])('runs for an implicit head written by %s', async (_name, finish) => {
    const out = await roundTrip((_req, res) => {
      res.statusCode = 202;
      onBeforeHead(res, (r) => r.setHeader('X-Hook', 'ran'));
      finish(res);
    });
    expect(out.status).toBe(202);
    expect(lines(out.raw)).toContain('x-hook: ran');
    expect(out.body).toBe('implicit');
  });

  it('runs listeners once each, the last registered first', async () => {
    const calls: string[] = [];
    await roundTrip((_req, res) => {
      onBeforeHead(res, () => calls.push('outer'));
      onBeforeHead(res, () => calls.push('inner'));
      res.writeHead(200);
      res.write('a');
      res.end('b');
    });
    expect(calls).toEqual(['inner', 'outer']);
  });

  it('lets a listener change the status code', async () => {
    const out = await roundTrip((_req, res) => {
      onBeforeHead(res, (r) => (r.statusCode = 203));
      res.end();
    });
    expect(out.status).toBe(203);
  });

  it('lets a listener replace a header the app passed to writeHead', async () => {
    const out = await roundTrip((_req, res) => {
      onBeforeHead(res, (r) => r.setHeader('Content-Type', 'text/x-changed'));
      res.writeHead(200, ['Content-Type', 'text/plain']);
      res.end();
    });
    expect(lines(out.raw)).toContain('content-type: text/x-changed');
    expect(lines(out.raw)).not.toContain('content-type: text/plain');
  });

  it('rejects a flat header array of odd length, as Node does', async () => {
    let thrown: unknown;
    await roundTrip((_req, res) => {
      onBeforeHead(res, () => undefined);
      try {
        res.writeHead(200, ['X-A'] as unknown as http.OutgoingHttpHeader[]);
      } catch (err) {
        thrown = err;
      }
      res.end();
    });
    expect(thrown).toBeInstanceOf(TypeError);
  });
});
