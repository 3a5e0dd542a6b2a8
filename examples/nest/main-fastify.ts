/**
 * NestJS on its Fastify adapter, where `app.use()` goes through @fastify/middie.
 * `npm run examples:build`, then
 * `SESSION_SECRET=change-me node examples/dist/nest/main-fastify.js` (PORT, default 3000).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { middleware } from './middleware';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    logger: ['error'],
  });
  app.use(middleware());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on ${await app.getUrl()}`);
}
void bootstrap();
