/**
 * The request path keeps nothing per client input: host-validation-middleware cached every
 * allowed Host in an unbounded set (a million distinct hosts cost 63 MB, LESSONS.md). Here
 * 200,000 distinct hosts must not grow the heap, and the time per request must not grow with
 * the number of patterns.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Middleware } from '@mw/core';
import { trustedHost } from '@mw/trusted-host';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function fakeRequest(host: string): IncomingMessage {
  return {
    headers: { host },
    rawHeaders: ['Host', host],
    url: '/',
    socket: {},
  } as unknown as IncomingMessage;
}

const fakeResponse = {
  statusCode: 200,
  setHeader() {},
  writeHead() {},
  end() {},
} as unknown as ServerResponse;

/** Runs `count` requests with distinct hosts; returns how many reached `next`. */
function drive(mw: Middleware, count: number, host: (i: number) => string): number {
  let passed = 0;
  for (let i = 0; i < count; i++) mw(fakeRequest(host(i)), fakeResponse, () => passed++);
  return passed;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('trustedHost(options) per-request cost', () => {
  it('keeps no state per distinct Host: 200,000 hosts leave the heap within 2 MB', () => {
    const mw = trustedHost({ allowedHosts: ['example.com', '*.example.com', 'www.example.org'] });
    drive(mw, 10_000, (i) => `warm${i}.example.com`);
    const before = heapAfterGc();
    const allowed = drive(mw, 100_000, (i) => `h${i}.example.com`);
    const rejected = drive(mw, 100_000, (i) => `h${i}.example.net:${i % 65535}`);
    const growth = heapAfterGc() - before;
    expect(allowed).toBe(100_000);
    expect(rejected).toBe(0);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });

  it('takes about as long with 10,000 patterns as with 10', () => {
    const time = (patterns: number): number => {
      const allowedHosts = Array.from({ length: patterns }, (_, i) => `*.p${i}.example.com`);
      const mw = trustedHost({ allowedHosts });
      drive(mw, 20_000, (i) => `w${i}.nomatch.example.net`);
      const start = process.hrtime.bigint();
      drive(mw, 50_000, (i) => `h${i}.nomatch.example.net`);
      return Number(process.hrtime.bigint() - start);
    };
    const few = Math.min(time(10), time(10));
    const many = Math.min(time(10_000), time(10_000));
    // A scan of the patterns would be ~1000x slower; allow generous noise.
    expect(many / few).toBeLessThan(4);
  });
});
