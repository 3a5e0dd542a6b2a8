/**
 * Real deployments in tests: an nginx started by the test on a free loopback port (its own
 * prefix, config, pid file, logs and temp paths in a temp folder, `daemon off`, killed by pid at
 * the end), README examples run as a user runs them, and clients that speak HTTP/2 (Node's
 * http2 client, curl).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { freePort, waitForPort } from '../../test-support/http';
import type { Certificate } from '../../test-support/http';

export { freePort, waitForPort };

export const ROOT = path.resolve(__dirname, '../..');

/** Debian installs nginx in /usr/sbin, which a non-root PATH may lack. */
const NGINX = process.env.NGINX ?? (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

/** A child process the test started, stopped by its own pid. */
export interface Child {
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): Child {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Runs a README example as a program with `env` (a free `PORT`), as a user runs it: a `.ts`
 * one has its types stripped by esbuild into `.tmp/` (so `@mw/*` and `express` resolve to the
 * built packages), then Node runs it; a `.mjs`/`.cjs` one runs as it is.
 */
export async function runExample(example: string, env: Record<string, string>): Promise<Child> {
  let file = path.join(ROOT, example);
  if (example.endsWith('.ts')) {
    const source = fs.readFileSync(file, 'utf8');
    const { code } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' });
    const dir = path.join(ROOT, '.tmp', `deploy-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    file = path.join(
      dir,
      `${path.basename(path.dirname(example))}-${path.basename(example, '.ts')}.cjs`,
    );
    fs.writeFileSync(file, code);
  }
  const child = track(
    spawn(process.execPath, [file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  await waitForPort(Number(env.PORT));
  return child;
}

/**
 * Debian's nginx in front of `127.0.0.1:<appPort>`, with the server block of
 * examples/deploy/nginx.conf (the README's) made local: its `listen 443` becomes
 * `127.0.0.1:<port>`, its certificate paths the test's, its upstream the app's port.
 */
export async function startNginx(
  appPort: number,
  cert: Certificate,
): Promise<Child & { port: number; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-nginx-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'cert.pem'), cert.cert);
  fs.writeFileSync(path.join(dir, 'key.pem'), cert.key);
  const server = fs
    .readFileSync(path.join(ROOT, 'examples/deploy/nginx.conf'), 'utf8')
    .replace('listen 443 ', `listen 127.0.0.1:${port} `)
    .replace('/etc/ssl/certs/example.com.pem', path.join(dir, 'cert.pem'))
    .replace('/etc/ssl/private/example.com.key', path.join(dir, 'key.pem'))
    .replace('http://127.0.0.1:3000', `http://127.0.0.1:${appPort}`);
  fs.writeFileSync(path.join(dir, 'server.conf'), server);
  const temp = (name: string): string => path.join(dir, 'temp', name);
  fs.mkdirSync(path.join(dir, 'temp'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${temp('body')};`,
      `  proxy_temp_path ${temp('proxy')};`,
      `  fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')};`,
      `  scgi_temp_path ${temp('scgi')};`,
      `  include ${path.join(dir, 'server.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child = track(
    spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  await waitForPort(port);
  return {
    ...child,
    port,
    dir,
    async stop() {
      await child.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `2` or `1.1`: what the exchange really used. */
  httpVersion: string;
}

/**
 * One request with curl (`--http2`, `--http2-prior-knowledge` or `--http1.1`), `-k` for the
 * self-signed certificate, `--resolve` so any host name reaches 127.0.0.1.
 */
export function curl(url: string, args: readonly string[] = []): Promise<Answer> {
  const { hostname, port } = new URL(url);
  const head = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-curl-')), 'head');
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      [
        ...['-sk', '-D', head, '--max-time', '10'],
        ...['--resolve', `${hostname}:${port}:127.0.0.1`, '--compressed'],
        ...args,
        url,
      ],
      (err, stdout) => {
        const text = fs.existsSync(head) ? fs.readFileSync(head, 'latin1') : '';
        fs.rmSync(path.dirname(head), { recursive: true, force: true });
        if (err) return reject(err);
        // The head goes to a file (-D), the body to stdout; the last head is the answer.
        const heads = text.trim().split(/\r?\n\r?\n/);
        const lines = heads[heads.length - 1]!.split(/\r?\n/);
        const [version = '', status = ''] = lines[0]!.split(' ');
        const headers: Answer['headers'] = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          const name = line.slice(0, i).toLowerCase();
          const value = line.slice(i + 1).trim();
          const prev = headers[name];
          headers[name] =
            prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
        }
        resolve({ status: Number(status), headers, body: stdout, httpVersion: version.slice(5) });
      },
    );
  });
}

/** What Node's http2 client got: as curl's answer, plus the body's bytes (compressed ones). */
export interface H2Answer extends Answer {
  bytes: Buffer;
}

/** One request with Node's http2 client (`rejectUnauthorized: false` for the test's cert). */
export function h2request(
  origin: string,
  headers: http2.OutgoingHttpHeaders,
  body?: string,
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(origin, { rejectUnauthorized: false });
    client.on('error', reject);
    const req = client.request(headers);
    const chunks: Buffer[] = [];
    let head: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => (head = h));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', (err) => {
      client.close();
      reject(err);
    });
    req.on('end', () => {
      client.close();
      const { ':status': status, ...rest } = head;
      const bytes = Buffer.concat(chunks);
      resolve({
        status: Number(status),
        headers: rest as Answer['headers'],
        body: bytes.toString('utf8'),
        bytes,
        httpVersion: '2',
      });
    });
    req.end(body);
  });
}
