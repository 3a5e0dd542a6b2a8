/**
 * Issue 13 point 1: errors raised after a stacked middleware handed the request on belong to
 * the rest of the app, so stack() must behave exactly as if the middleware were mounted
 * directly: a synchronous throw propagates (under Polka 0.5 and a bare node:http `next` it used
 * to be swallowed and the request hung), and a late rejection is not silently dropped.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { RequestListener, ServerResponse } from 'node:http';
import request from 'supertest';
import type { Middleware } from '@mw/core';
import { stack } from '@mw/stack';
import { tracer } from '../test-support/tracer';
import { frameworks } from './support/frameworks';

/** Answers a throw that escapes the framework itself `500 escaped: <message>`. */
function outermost(listener: RequestListener): RequestListener {
  return (req, res) => {
    try {
      listener(req, res);
    } catch (thrown) {
      res.statusCode = 500;
      res.end(`escaped: ${(thrown as Error).message}`);
    }
  };
}

const throwingApp = (_req: unknown, _res: ServerResponse): void => {
  throw new Error('app failed');
};

describe.each(frameworks)('stack() under $name', (fw) => {
  describe('when the app throws after the last stacked middleware called next', () => {
    it('answers exactly as without the stack, instead of hanging', async () => {
      const answer = async (mw: Middleware) => {
        const res = await request(outermost(fw.create([mw], throwingApp)))
          .get('/')
          .timeout(3000);
        return { status: res.status, text: res.text };
      };
      const direct = await answer(tracer('a'));
      expect(direct.status).toBe(500);
      expect(await answer(stack(tracer('a')))).toEqual(direct);
    });
  });
});

function runFixture(framework: string, mode: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'fixtures/late-rejection.js')],
      { env: { ...process.env, FRAMEWORK: framework, MODE: mode }, timeout: 10_000 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    );
  });
}

describe.each(['polka', 'node:http'])(
  'stack() under %s: an async middleware that calls next and then rejects',
  (framework) => {
    it('lets the app answer and leaves the rejection unhandled, as without the stack', async () => {
      const direct = await runFixture(framework, 'direct');
      expect(direct).toEqual({ status: 200, body: 'app', unhandled: ['late rejection'] });
      expect(await runFixture(framework, 'stack')).toEqual(direct);
    });
  },
);
