import express from 'express';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { httpsRedirect } from '@mw/https-redirect';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

const app = express();
// One setting for Express (req.protocol, req.ip, req.hostname) and for every @mw package:
// believe X-Forwarded-* from the proxy on this machine (nginx, above), and nobody else.
app.set('trust proxy', 'loopback');
app.use(
  stack(
    trustedHost({ allowedHosts: ['www.example.com', 'localhost'] }),
    httpsRedirect({ hsts: { maxAge: 63072000 } }),
    gzip(),
    session({ secretKey: process.env.SESSION_SECRET ?? 'change me', secure: 'auto' }),
  ),
);
app.get('/', (req, res) => {
  req.session.visits = Number(req.session.visits ?? 0) + 1;
  res.json({ protocol: req.protocol, ip: req.ip, visits: req.session.visits });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`Listening on http://127.0.0.1:${port}`));
