import 'reflect-metadata';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

@Controller()
class VisitsController {
  @Get()
  visits(@Req() req: FastifyRequest) {
    const { session } = req.raw; // Nest's @Session() reads Fastify's request, not Node's
    session.visits = (Number(session.visits) || 0) + 1;
    return { visits: session.visits };
  }
}

@Module({ controllers: [VisitsController] })
class AppModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
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
