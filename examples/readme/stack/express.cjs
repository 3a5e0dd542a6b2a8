const express = require('express');
const { stack } = require('@mw/stack');
const { cors } = require('@mw/cors');
const { session } = require('@mw/session');
const { trustedHost } = require('@mw/trusted-host');

const app = express();
app.use(
  stack(
    session({ secretKey: process.env.SESSION_SECRET }),
    cors({ allowOrigins: ['https://app.example.com'] }),
    trustedHost({ allowedHosts: ['example.com', 'localhost'] }),
  ),
);
app.get('/', (req, res) => {
  req.session.visits = (Number(req.session.visits) || 0) + 1;
  res.json({ visits: req.session.visits });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
