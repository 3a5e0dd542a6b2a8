// Type fixture (CommonJS), compiled by gzip-types.test.ts against the BUILT package (.d.ts):
// importing @mw/gzip makes res.flush() compile on Node's ServerResponse and on Express's
// Response, with no cast.
import http from 'node:http';
import type { ServerResponse } from 'node:http';
import express from 'express';
import type { Response } from 'express';
import { gzip } from '@mw/gzip';

const compress = gzip({ excludeContentTypes: [] });

const app = express();
app.use(compress);
app.get('/events', (_req, res: Response) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.write('data: 1\n\n');
  res.flush();
  res.end();
});

http.createServer((req, res: ServerResponse) => {
  compress(req, res, () => {
    res.write('data: 1\n\n');
    res.flush();
    const flushed: void = res.flush();
    res.end(String(flushed));
  });
});

// @ts-expect-error flush takes no arguments
export const wrong = (res: ServerResponse): void => res.flush(1);
