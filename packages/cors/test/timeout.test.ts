import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import request from 'supertest';
import { cors } from '@mw/cors';
import type { AllowOriginFn, CorsOptions } from '@mw/cors';
import { O, serve } from './helpers';

/** A request carrying `Origin: O` and the response to it, with no network behind them. */
function exchange(): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/';
  req.headers = { origin: O };
  return { req, res: new ServerResponse(req) };
}

const never: AllowOriginFn = () => new Promise<boolean>(() => {});

describe('cors(options)', () => {
  describe('when an async allowOrigin has not settled within allowOriginTimeout', () => {
    it('passes an error that says so to next, with Vary: Origin, and never runs the app', async () => {
      const app = jest.fn();
      const res = await request(
        serve({ allowOrigin: never, allowOriginTimeout: 50 }, (_q, s) => {
          app();
          s.end('app');
        }),
      )
        .get('/')
        .set('Origin', O)
        .timeout(3000);
      expect(res.status).toBe(500);
      expect(res.text).toBe(
        'error: @mw/cors: the allowOrigin predicate did not settle within 50 ms ' +
          '(option "allowOriginTimeout"); the origin counts as not allowed',
      );
      expect(res.headers.vary).toBe('Origin');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(app).not.toHaveBeenCalled();
    });

    it('gives the error the code MW_CORS_ALLOW_ORIGIN_TIMEOUT', async () => {
      const { req, res } = exchange();
      const err = await new Promise((resolve) =>
        cors({ allowOrigin: never, allowOriginTimeout: 5 })(req, res, resolve),
      );
      expect(err).toMatchObject({ code: 'MW_CORS_ALLOW_ORIGIN_TIMEOUT' });
    });
  });

  describe('allowOriginTimeout', () => {
    afterEach(() => jest.useRealTimers());

    it.each<[string, CorsOptions, number]>([
      ['defaults to 5000 ms', {}, 5000],
      ['is configurable', { allowOriginTimeout: 250 }, 250],
    ])('%s', (_name, options, ms) => {
      jest.useFakeTimers();
      const next = jest.fn();
      const { req, res } = exchange();
      cors({ ...options, allowOrigin: never })(req, res, next);
      jest.advanceTimersByTime(ms - 1);
      expect(next).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(next).toHaveBeenCalledTimes(1);
      expect(next.mock.calls[0][0]).toEqual(
        expect.objectContaining({ message: expect.any(String) }),
      );
      expect(String(next.mock.calls[0][0].message)).toContain(`within ${ms} ms`);
    });

    it('ignores a verdict that arrives after the timeout: next is called once', async () => {
      let settle: (ok: boolean) => void = () => {};
      const next = jest.fn();
      const { req, res } = exchange();
      cors({ allowOriginTimeout: 5, allowOrigin: () => new Promise((r) => (settle = r)) })(
        req,
        res,
        next,
      );
      await new Promise((r) => setTimeout(r, 30));
      settle(true);
      await new Promise((r) => setTimeout(r, 10));
      expect(next).toHaveBeenCalledTimes(1);
      expect(next.mock.calls[0][0]).toBeInstanceOf(Error);
    });

    it('clears the timer as soon as the predicate settles', async () => {
      jest.useFakeTimers();
      const next = jest.fn();
      const { req, res } = exchange();
      cors({ allowOrigin: async () => true })(req, res, next);
      expect(jest.getTimerCount()).toBe(1);
      await Promise.resolve();
      await Promise.resolve();
      expect(next).toHaveBeenCalledWith();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('clears the timer when the predicate rejects', async () => {
      jest.useFakeTimers();
      const next = jest.fn();
      const { req, res } = exchange();
      cors({ allowOrigin: () => Promise.reject(new Error('db down')) })(req, res, next);
      await Promise.resolve();
      await Promise.resolve();
      expect(next).toHaveBeenCalledWith(new Error('db down'));
      expect(jest.getTimerCount()).toBe(0);
    });

    it('never keeps the process alive (the timer is unref’d)', () => {
      const spy = jest.spyOn(global, 'setTimeout');
      try {
        const { req, res } = exchange();
        cors({ allowOrigin: never })(req, res, jest.fn());
        expect(spy).toHaveBeenCalledTimes(1);
        const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
        expect(timer.hasRef()).toBe(false);
        clearTimeout(timer);
      } finally {
        spy.mockRestore();
      }
    });

    it('sets no timer for a synchronous predicate or a static list', () => {
      const spy = jest.spyOn(global, 'setTimeout');
      try {
        const { req, res } = exchange();
        cors({ allowOrigin: () => true })(req, res, jest.fn());
        cors({ allowOrigins: [O] })(req, res, jest.fn());
        expect(spy).not.toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
    });
  });
});
