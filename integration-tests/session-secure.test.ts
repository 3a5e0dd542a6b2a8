/**
 * secure: 'auto' with the shared trustProxy, under Express 5: the Secure attribute follows the
 * scheme the client used, read through @mw/core's request view (TLS socket, or a trusted
 * proxy's X-Forwarded-Proto / Forwarded), defaulting to the app's own `trust proxy` setting.
 */
import https from 'node:https';
import express from 'express';
import request from 'supertest';
import { session } from '@mw/session';
import type { SessionOptions } from '@mw/session';
import { listenOn, selfSignedCertificate } from '../test-support/http';

function createApp(options: Partial<SessionOptions>, trustProxy?: string) {
  const app = express();
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(session({ secretKey: 'secure-auto', secure: 'auto', ...options }));
  app.get('/', (req, res) => {
    req.session.user = 'ada';
    res.send('ok');
  });
  app.get('/logout', (req, res) => {
    req.session = null;
    res.send('bye');
  });
  return app;
}

const setCookie = (res: request.Response): string => String(res.headers['set-cookie']);

describe("session({ secure: 'auto' }) under Express 5", () => {
  it.each<[string, boolean, Partial<SessionOptions>, string | undefined, Record<string, string>]>([
    ['plain HTTP, no proxy', false, {}, undefined, {}],
    [
      'an untrusted X-Forwarded-Proto: https',
      false,
      {},
      undefined,
      { 'X-Forwarded-Proto': 'https' },
    ],
    [
      "the app's trust proxy (loopback) believing X-Forwarded-Proto",
      true,
      {},
      'loopback',
      { 'X-Forwarded-Proto': 'https' },
    ],
    [
      "the app's trust proxy believing Forwarded: proto=https",
      true,
      {},
      'loopback',
      { Forwarded: 'for=1.2.3.4;proto=https' },
    ],
    [
      'trustProxy: true believing X-Forwarded-Proto',
      true,
      { trustProxy: true },
      undefined,
      { 'X-Forwarded-Proto': 'https' },
    ],
    [
      "an explicit trustProxy: false over the app's setting",
      false,
      { trustProxy: false },
      'loopback',
      { 'X-Forwarded-Proto': 'https' },
    ],
    [
      'a trusted proxy saying http',
      false,
      { trustProxy: 'loopback' },
      undefined,
      { 'X-Forwarded-Proto': 'http' },
    ],
    ['httpsOnly: true on plain HTTP (always secure)', true, { httpsOnly: true }, undefined, {}],
  ])('with %s: secure is %s', async (_name, secure, options, appTrust, headers) => {
    const res = await request(createApp(options, appTrust)).get('/').set(headers);
    expect(setCookie(res)).toMatch(/^session=/);
    expect(/; secure(;|$)/.test(setCookie(res))).toBe(secure);
  });

  it('adds secure on a real TLS connection and on the clearing cookie', async () => {
    const cert = selfSignedCertificate();
    const server = await listenOn(
      https.createServer({ key: cert.key, cert: cert.cert }, createApp({})),
    );
    try {
      const agent = new https.Agent({ ca: cert.cert });
      const get = (path: string, cookie?: string) =>
        new Promise<string[]>((resolve, reject) => {
          https
            .get(`${server.url}${path}`, { agent, headers: cookie ? { cookie } : {} }, (res) => {
              res.resume();
              resolve(res.headers['set-cookie'] ?? []);
            })
            .on('error', reject);
        });
      const [line] = await get('/');
      expect(line).toMatch(/; httponly; samesite=lax; secure$/);
      const [clearing] = await get('/logout', line!.split(';')[0]);
      expect(clearing).toMatch(/^session=null; .*; secure$/);
      agent.destroy();
    } finally {
      await server.close();
    }
  });

  it.each<[string, unknown, RegExp]>([
    ['secure: true', true, /option "secure" must be "auto"/],
    ['a trustProxy that is not a proxy form', 'not an address', /option "trustProxy"/],
  ])('refuses %s at construction', (_name, value, message) => {
    const options = _name.startsWith('secure') ? { secure: value } : { trustProxy: value };
    expect(() => session({ secretKey: 's', ...(options as Partial<SessionOptions>) })).toThrow(
      message,
    );
  });
});
