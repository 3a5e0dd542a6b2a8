/**
 * Fastify 5 with the whole collection through @fastify/middie. `npm run examples:build`, then
 * `SESSION_SECRET=change-me node examples/dist/fastify/server.js` (PORT, default 3000).
 */
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import middie from '@fastify/middie';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

const items = Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}` }));

async function main(): Promise<void> {
  const app = Fastify();
  await app.register(middie);
  app.use(
    stack(
      trustedHost({ allowedHosts: ['localhost', '127.0.0.1'] }),
      cors({ allowOrigins: ['http://localhost:8080'], allowMethods: ['GET', 'PUT'] }),
      gzip(),
      session({ secretKey: process.env.SESSION_SECRET! }),
    ),
  );
  // The middleware run on Node's request and response: request.raw carries the session.
  app.get('/', (request) => {
    const { session } = request.raw;
    session.visits = (Number(session.visits) || 0) + 1;
    return { visits: session.visits };
  });
  // Fastify serialises and writes the head and body itself; gzip compresses it on the way.
  app.get('/items', () => items);
  // A streamed body: gzip compresses it as it flows.
  app.get('/stream', (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send(Readable.from(lines())),
  );
  const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
  console.log(`listening on ${url}`);
}

function* lines(): Generator<string> {
  for (let i = 0; i < 1000; i++) yield `line ${i}\n`;
}

void main();
