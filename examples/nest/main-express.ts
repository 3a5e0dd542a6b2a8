/**
 * NestJS on its Express adapter. `npm run examples:build`, then
 * `SESSION_SECRET=change-me node examples/dist/nest/main-express.js` (PORT, default 3000).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { middleware } from './middleware';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'] });
  app.use(middleware());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on ${await app.getUrl()}`);
}
void bootstrap();
