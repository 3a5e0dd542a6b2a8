/**
 * A user's Express app, type-checked (never run) against the BUILT @mw declarations, once with
 * @types/express 5 (tsconfig.express5.json) and once with @types/express 4
 * (tsconfig.express4.json). See integration-tests/typecheck.test.ts.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { httpsRedirect } from '@mw/https-redirect';
import { session } from '@mw/session';
import type { Session, SessionOptions } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import type { Middleware } from '@mw/core';

const app = express();

app.use(cors());
app.use(gzip());
app.use(session({ secretKey: 'x' }));
app.use(
  stack(
    trustedHost({ allowedHosts: ['example.com', '*.example.com'] }),
    httpsRedirect({ hsts: { maxAge: 31536000, includeSubDomains: true } }),
    cors({ allowOrigins: ['https://app.example.com'], allowCredentials: true }),
    gzip({ encodings: ['br', 'gzip'], minimumSize: 1000 }),
    session({ secretKey: ['new', 'old'], sameSite: 'strict', maxAge: null }),
  ),
);
// Mounted on a path, and nested stacks.
app.use('/api', stack(stack(cors({ allowOrigins: ['*'] })), gzip()));

const options: CorsOptions = {
  allowOrigin: async (origin, req) => origin.endsWith('.example.com') && req.method !== 'TRACE',
};
app.use(cors(options));
const sessionOptions: SessionOptions = { secretKey: 'x', httpsOnly: true, sameSite: 'none' };
app.use(session(sessionOptions));

app.get('/', (req: Request, res: Response) => {
  const visits = (Number(req.session.visits) || 0) + 1;
  req.session.visits = visits;
  const s: Session = req.session;
  s.regenerate((err) => (err ? res.status(500).end() : res.json({ visits })));
});

app.post('/logout', (req, res, next: NextFunction) => {
  req.session.destroy((err) => (err ? next(err) : res.redirect('/')));
});

app.get('/reset', (req, res) => {
  req.session = null;
  res.end();
});

// Importing @mw/gzip types res.flush() on Express's Response (API.md "gzip additions").
app.get('/events', (_req, res) => {
  res.type('text/event-stream').write('data: 1\n\n');
  res.flush();
});

// A collection middleware is a plain Middleware, usable in a hand-written pipeline too.
const all: Middleware[] = [cors(), gzip(), trustedHost()];
for (const mw of all) app.use(mw);

// @ts-expect-error an unknown option name is a type error, not only a runtime TypeError
cors({ allowOrigin: ['https://a.example'] });
// @ts-expect-error secretKey is required
session({});
// @ts-expect-error gzip encodings are a closed set
gzip({ encodings: ['lzma'] });

export default app;
