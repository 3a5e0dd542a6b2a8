import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

/** The collection, one middleware for `app.use()` on either of Nest's adapters. */
export function middleware() {
  return stack(
    trustedHost({ allowedHosts: ['localhost', '127.0.0.1'] }),
    cors({ allowOrigins: ['http://localhost:8080'], allowMethods: ['GET', 'PUT'] }),
    gzip(),
    session({ secretKey: process.env.SESSION_SECRET! }),
  );
}
