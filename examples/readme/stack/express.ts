import express from 'express';
import { stack } from '@mw/stack';
import { cors } from '@mw/cors';
import { session } from '@mw/session';
import { trustedHost } from '@mw/trusted-host';

const app = express();
app.use(
  stack(
    session({ secretKey: process.env.SESSION_SECRET! }), // a long random string: openssl rand -hex 32
    cors({ allowOrigins: ['https://app.example.com'] }),
    trustedHost({ allowedHosts: ['example.com', 'localhost'] }),
  ),
); // runs trustedHost, then cors, then session
app.get('/', (req, res) => {
  req.session.visits = (Number(req.session.visits) || 0) + 1;
  res.json({ visits: req.session.visits });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
