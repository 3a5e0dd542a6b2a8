import express from 'express';
import { httpsRedirect } from '@mw/https-redirect';
import { trustedHost } from '@mw/trusted-host';
import { stack } from '@mw/stack';

const app = express();
// stack() runs trustedHost first, so Location only ever names a host you allow.
app.use(
  stack(
    trustedHost({ allowedHosts: ['example.com', 'www.example.com', 'localhost'] }),
    httpsRedirect({ hsts: {} }),
  ),
);
app.get('/', (_req, res) => res.send('OK')); // only reached over HTTPS

// Plain HTTP only redirects: serve HTTPS with https.createServer(tlsOptions, app) beside it,
// or let a TLS-terminating proxy in front say so (the trustProxy option).
const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
