import 'reflect-metadata';
import { Controller, Get, Module, Session } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import type { Session as MwSession } from '@mw/session';

@Controller()
class VisitsController {
  @Get()
  visits(@Session() session: MwSession) {
    session.visits = (Number(session.visits) || 0) + 1;
    return { visits: session.visits };
  }
}

@Module({ controllers: [VisitsController] })
class AppModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  app.use(
    stack(
      trustedHost({ allowedHosts: ['localhost'] }),
      cors({ allowOrigins: ['http://localhost:8080'] }),
      gzip(),
      session({ secretKey: process.env.SESSION_SECRET! }),
    ),
  );
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on ${await app.getUrl()}`);
}
void bootstrap();
