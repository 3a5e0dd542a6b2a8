import fs from 'node:fs';
import http2 from 'node:http2';
import connect from 'connect';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';
import { httpsRedirect } from '@mw/https-redirect';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';

const app = connect();
app.use(
  stack(
    trustedHost({ allowedHosts: ['example.com', 'localhost'] }),
    httpsRedirect({ hsts: { maxAge: 63072000 } }),
    gzip(),
    session({ secretKey: process.env.SESSION_SECRET ?? 'change me', secure: 'auto' }),
  ),
);
app.use((req, res) => {
  req.session.visits = (req.session.visits ?? 0) + 1;
  res.setHeader('Content-Type', 'text/plain');
  res.end(`HTTP/${req.httpVersion}, visit ${req.session.visits}\n`);
});

// HTTP/2 over TLS, HTTP/1.1 for older clients on the same port; the middleware is unchanged.
const tls = {
  key: fs.readFileSync(process.env.TLS_KEY ?? 'key.pem'),
  cert: fs.readFileSync(process.env.TLS_CERT ?? 'cert.pem'),
};
const port = Number(process.env.PORT ?? 3443);
http2
  .createSecureServer({ ...tls, allowHTTP1: true }, app)
  .listen(port, () => console.log(`Listening on https://localhost:${port}`));
