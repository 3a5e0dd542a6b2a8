const express = require('express');
const { trustedHost } = require('@mw/trusted-host');

const app = express();
app.use(trustedHost({ allowedHosts: ['example.com', '*.example.com', 'localhost'] }));
app.get('/', (_req, res) => res.send('OK'));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
