// The tiny connect-style chain every benchmark server uses, @mw and peers alike, so the
// framework costs the same on both sides and stays out of the way (Express 5 alone costs more
// than most of these middlewares). It behaves like connect: `req.originalUrl` is set, `next()`
// runs the next middleware, `next(err)` or a throw ends the request with a 500.
import http from 'node:http';

let errors = 0;

/** How many requests ended in `next(err)` or a throw since the process started. */
export function errorCount() {
  return errors;
}

function fail(res, err) {
  errors += 1;
  if (errors <= 3) console.error('benchmark server: middleware error:', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * A request listener running `middleware` in order, then `handler(req, res)`.
 * @param {Array<(req, res, next) => void>} middleware
 * @param {(req, res) => void} handler
 */
export function chain(middleware, handler) {
  const list = middleware.slice();
  return function listener(req, res) {
    // connect and Express set this; express-session and express-sslify read it.
    if (req.originalUrl === undefined) req.originalUrl = req.url;
    let index = 0;
    const next = (err) => {
      if (err) {
        fail(res, err);
        return;
      }
      const fn = list[index++];
      if (fn === undefined) {
        handler(req, res);
        return;
      }
      try {
        fn(req, res, next);
      } catch (thrown) {
        fail(res, thrown);
      }
    };
    next();
  };
}

/**
 * `http.ServerResponse` plus the three Express helpers the peers call (`express-sslify` uses
 * `res.redirect` and `res.status().send`, `host-validation` uses them on rejection). They are
 * methods on a prototype, as in Express, so they cost nothing per request; they are simpler than
 * Express's own (no content negotiation), which can only flatter the peers. Every benchmark
 * server and fixture uses this class, @mw sides included.
 */
export class BenchResponse extends http.ServerResponse {
  status(code) {
    this.statusCode = code;
    return this;
  }

  send(body) {
    const buf = Buffer.from(String(body));
    if (!this.hasHeader('Content-Type')) this.setHeader('Content-Type', 'text/html; charset=utf-8');
    this.setHeader('Content-Length', buf.length);
    this.end(buf);
    return this;
  }

  redirect(status, url) {
    // What Express sends to a client without `Accept`: a short text body naming the target.
    const body = Buffer.from(`${http.STATUS_CODES[status]}. Redirecting to ${url}`);
    this.statusCode = status;
    this.setHeader('Location', url);
    this.setHeader('Content-Type', 'text/plain; charset=utf-8');
    this.setHeader('Content-Length', body.length);
    this.end(body);
  }
}
