import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Controller, Get, Module, Req, StreamableFile } from '@nestjs/common';

const items = Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}` }));

function* lines(): Generator<string> {
  for (let i = 0; i < 1000; i++) yield `line ${i}\n`;
}

/** Express hands Nest Node's request itself; Fastify wraps it, as `raw`. */
type AnyRequest = IncomingMessage & { raw?: IncomingMessage };

@Controller()
export class AppController {
  @Get()
  visits(@Req() req: AnyRequest) {
    const { session } = req.raw ?? req;
    session.visits = (Number(session.visits) || 0) + 1;
    return { visits: session.visits };
  }

  @Get('items')
  items() {
    return items;
  }

  @Get('stream')
  stream() {
    return new StreamableFile(Readable.from(lines()), { type: 'text/plain; charset=utf-8' });
  }
}

@Module({ controllers: [AppController] })
export class AppModule {}
