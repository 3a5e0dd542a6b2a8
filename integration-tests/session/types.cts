// Type fixture (a CommonJS copy of types.mts), compiled by session-types.test.ts against the
// BUILT package. `req.session` must be typed without hand-written declaration merging, and a user's
// own fields through `SessionData`. Each @ts-expect-error proves the type is not `any`.
import http from 'node:http';
import express from 'express';
import { session } from '@mw/session';
import type { Session, SessionOptions } from '@mw/session';

declare module '@mw/session' {
  interface SessionData {
    userId?: string;
    cart?: string[];
  }
}

const options: SessionOptions = { secretKey: ['new', 'old'], maxAge: null, rolling: true };
const app = express();
app.use(session(options));
app.get('/', (req, res) => {
  req.session.userId = 'u1';
  req.session.cart?.push('apple');
  const other: unknown = req.session.anything;
  const s: Session = req.session;
  s.regenerate((_err?: Error) => s.save(() => s.destroy()));
  req.session = { userId: 'u2' };
  req.session = null;
  // @ts-expect-error userId is a string
  const n: number = req.session.userId;
  // @ts-expect-error cart holds strings
  req.session.cart?.push(1);
  // @ts-expect-error only objects or null
  req.session = 'text';
  res.send(String(other) + String(n));
});

http.createServer((req, res) => {
  const id: string | undefined = req.session.userId;
  res.end(id);
});

// @ts-expect-error secretKey is required
session({});
