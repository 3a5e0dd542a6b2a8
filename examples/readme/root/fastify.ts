import Fastify from 'fastify';
import middie from '@fastify/middie';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

async function main(): Promise<void> {
  const app = Fastify();
  await app.register(middie); // Connect-style middleware for Fastify
  app.use(
    stack(
      trustedHost({ allowedHosts: ['localhost'] }),
      cors({ allowOrigins: ['http://localhost:8080'] }),
      gzip(),
      session({ secretKey: process.env.SESSION_SECRET! }),
    ),
  );
  app.get('/', (request) => {
    const { session } = request.raw; // the middleware sees Node's request, not Fastify's
    session.visits = (Number(session.visits) || 0) + 1;
    return { visits: session.visits };
  });
  const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
  console.log(`listening on ${url}`);
}
void main();
