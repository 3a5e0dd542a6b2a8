/**
 * Shared set-up for the real-browser suites: one headless Chromium per test file (Debian's
 * `chromium`, driven by playwright-core; never a downloaded browser), loopback servers over
 * plain HTTP and over TLS with a throw-away self-signed certificate.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { listenOn, selfSignedCertificate as makeCertificate } from '../../test-support/http';
import type { Listening } from '../../test-support/http';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium; `extraArgs` adds switches such as `--host-resolver-rules`. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A loopback server: `url` is `http(s)://127.0.0.1:<port>`. */
export type Served = Listening;

/** Serves `listener` over plain HTTP on an ephemeral loopback port. */
export function serveHttp(listener: RequestListener): Promise<Served> {
  return listenOn(http.createServer(listener));
}

let certificate: { key: string; cert: string } | undefined;

/**
 * A self-signed certificate for `localhost` and `127.0.0.1`, made once per process with the
 * openssl CLI (the browser is told to accept it with `ignoreHTTPSErrors`).
 */
export function selfSignedCertificate(): { key: string; cert: string } {
  certificate ??= makeCertificate();
  return certificate;
}

/** Serves `listener` over TLS (self-signed) on an ephemeral loopback port. */
export function serveHttps(listener: RequestListener): Promise<Served> {
  return listenOn(https.createServer(selfSignedCertificate(), listener));
}

/** Two consecutive free loopback ports `p` and `p + 1` (the demo uses PORT and PORT + 1). */
export async function freePortPair(): Promise<number> {
  const probe = (port: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: got } = server.address() as net.AddressInfo;
        server.close(() => resolve(got));
      });
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await probe(0);
    if (port !== undefined && port < 65535 && (await probe(port + 1)) !== undefined) return port;
  }
  throw new Error('no two consecutive free ports on 127.0.0.1');
}

export interface Example {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code and signal. */
  stop(signal: NodeJS.Signals): Promise<[number | null, NodeJS.Signals | null]>;
}

/** Starts `examples/<script>` with Node, as a user would, with `env` added to the environment. */
export function startExample(script: string, env: NodeJS.ProcessEnv): Example {
  const file = path.join(__dirname, '..', '..', 'examples', script);
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, signal) => resolve([code, signal])),
  );
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (output += chunk));
  }
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error('timed out')), timeoutMs);
        const check = (): void => {
          const match = output.match(pattern);
          if (match) finish(undefined, match);
        };
        const onExit = (): void => finish(new Error('exited'));
        function finish(err?: Error, match?: RegExpMatchArray): void {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('exit', onExit);
          if (match) resolve(match);
          else
            reject(new Error(`${script}: ${err?.message} before printing ${pattern}:\n${output}`));
        }
        child.stdout.on('data', check);
        child.once('exit', onExit);
        check();
      });
    },
    stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
