const express = require('express');
const { httpsRedirect } = require('@mw/https-redirect');
const { trustedHost } = require('@mw/trusted-host');
const { stack } = require('@mw/stack');

const app = express();
app.use(
  stack(
    trustedHost({ allowedHosts: ['example.com', 'www.example.com', 'localhost'] }),
    httpsRedirect({ hsts: {} }),
  ),
);
app.get('/', (_req, res) => res.send('OK'));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
