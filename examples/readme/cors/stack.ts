import { stack } from '@mw/stack';
import { cors } from '@mw/cors';
import { session } from '@mw/session';

const secretKey = process.env.SESSION_SECRET!;

// runs cors, then session: preflights never create sessions
export const middleware = stack(
  session({ secretKey }),
  cors({ allowOrigins: ['https://app.example.com'] }),
);
