import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import request from 'supertest';
import type { Middleware } from '@mw/core';
import { stack } from '@mw/stack';
import { tracer } from '../../../test-support/tracer';

/**
 * Issue 13 point 1: only errors raised before a middleware calls `next` belong to `stack()`.
 * What fails after the request was handed on is the rest of the app's.
 */

const req = {} as IncomingMessage;
const res = { getHeader: () => undefined, setHeader: () => undefined } as unknown as ServerResponse;

/**
 * A bare server with a hand-written `next` that has no try/catch of its own (as Polka 0.5's):
 * a throw that escapes the middleware reaches this listener's catch and is answered
 * `500 escaped: <message>`, so the test sees it instead of a hang.
 */
function serve(mw: Middleware, app: (res: ServerResponse) => void): http.Server {
  const listener: RequestListener = (q, s) => {
    try {
      mw(q, s, (err?: unknown) => {
        if (err) {
          s.statusCode = 500;
          s.end(`error: ${(err as Error).message}`);
        } else app(s);
      });
    } catch (thrown) {
      s.statusCode = 500;
      s.end(`escaped: ${(thrown as Error).message}`);
    }
  };
  return http.createServer(listener);
}

describe('stack(...middleware)', () => {
  describe('when the app throws after the last middleware called next', () => {
    it('lets the throw propagate to whoever called the stack', () => {
      const outer = jest.fn<void, [unknown?]>(() => {
        throw new Error('app failed');
      });
      const mw = stack(tracer('a'), tracer('b'));
      expect(() => mw(req, res, outer)).toThrow('app failed');
      expect(outer).toHaveBeenCalledTimes(1);
      expect(outer).toHaveBeenCalledWith();
    });

    it('does not leave the request hanging under a bare node:http server', async () => {
      const server = serve(stack(tracer('a')), () => {
        throw new Error('app failed');
      });
      const answer = await request(server).get('/').timeout(3000);
      expect(answer.status).toBe(500);
      expect(answer.text).toBe('escaped: app failed');
    });
  });

  describe('when a middleware throws after calling next', () => {
    it('lets the throw propagate and never calls the outer next a second time', () => {
      const outer = jest.fn<void, [unknown?]>();
      const late: Middleware = (_q, _s, next) => {
        next();
        throw new Error('late');
      };
      expect(() => stack(late)(req, res, outer)).toThrow('late');
      expect(outer.mock.calls).toEqual([[]]);
    });
  });

  // An async middleware that calls next and then rejects: jest turns unhandled rejections into
  // failures of its own, so integration-tests/stack-late-errors.test.ts checks it in a child
  // process under node:http and Polka 0.5.

  describe('when a middleware fails before calling next', () => {
    it.each<[string, Middleware]>([
      [
        'throws',
        () => {
          throw new Error('early');
        },
      ],
      [
        'rejects',
        (async () => {
          await Promise.resolve();
          throw new Error('early');
        }) as unknown as Middleware,
      ],
    ])('still owns the error when it %s: the outer next gets it', async (_name, failing) => {
      const answer = await request(serve(stack(failing), (s) => s.end('app')))
        .get('/')
        .timeout(3000);
      expect(answer.text).toBe('error: early');
    });
  });
});
