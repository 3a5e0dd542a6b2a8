import express from 'express';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

// Signs the session cookie: a long random string, the same on every instance and restart.
const secretKey = process.env.SESSION_SECRET;
if (!secretKey) throw new Error('Set SESSION_SECRET, for example to `openssl rand -hex 32`');
const port = Number(process.env.PORT ?? 3000);

const app = express();
app.use(
  stack(
    // localhost while you develop; your public host names in production.
    trustedHost({ allowedHosts: ['localhost', 'example.com', '*.example.com'] }),
    cors({ allowOrigins: ['https://app.example.com'], allowCredentials: true }),
    gzip(),
    session({ secretKey }),
  ),
);
app.get('/', (req, res) => {
  req.session.visits = (Number(req.session.visits) || 0) + 1;
  res.json({ visits: req.session.visits });
});
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
