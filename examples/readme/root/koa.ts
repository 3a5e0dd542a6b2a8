import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import koaConnect from 'koa-connect';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

const app = new Koa();
app.use(
  koaConnect(
    stack(
      trustedHost({ allowedHosts: ['localhost'] }),
      cors({ allowOrigins: ['http://localhost:8080'] }),
      gzip(),
      session({ secretKey: process.env.SESSION_SECRET! }),
    ),
  ),
);
app.use((ctx) => {
  const { session } = ctx.req; // Node's request: ctx.req, not ctx.request
  session.visits = (Number(session.visits) || 0) + 1;
  ctx.body = { visits: session.visits };
});
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://localhost:${(server.address() as AddressInfo).port}`);
});
