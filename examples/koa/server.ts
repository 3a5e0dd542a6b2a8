/**
 * Koa 3 with the whole collection through koa-connect. `npm run examples:build`, then
 * `SESSION_SECRET=change-me node examples/dist/koa/server.js` (PORT, default 3000).
 */
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import Koa from 'koa';
import koaConnect from 'koa-connect';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

const items = Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}` }));

function* lines(): Generator<string> {
  for (let i = 0; i < 1000; i++) yield `line ${i}\n`;
}

const app = new Koa();
app.use(
  koaConnect(
    stack(
      trustedHost({ allowedHosts: ['localhost', '127.0.0.1'] }),
      cors({ allowOrigins: ['http://localhost:8080'], allowMethods: ['GET', 'PUT'] }),
      gzip(),
      session({ secretKey: process.env.SESSION_SECRET! }),
    ),
  ),
);
// Koa writes the body after every middleware has returned; gzip and session hook the Node
// response, so they still see it. The session lives on Node's request, ctx.req.
app.use((ctx) => {
  if (ctx.path === '/items') ctx.body = items;
  else if (ctx.path === '/stream') {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = Readable.from(lines());
  } else if (ctx.path === '/') {
    const { session } = ctx.req;
    session.visits = (Number(session.visits) || 0) + 1;
    ctx.body = { visits: session.visits };
  }
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`);
});
