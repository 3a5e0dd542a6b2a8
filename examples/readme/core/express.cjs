const express = require('express');
const { vary, onBeforeHead } = require('@mw/core');

const app = express();
app.use((_req, res, next) => {
  onBeforeHead(res, (r) => vary(r, 'Accept-Language'));
  next();
});
app.get('/', (req, res) => {
  res.vary('Accept-Encoding');
  res.send(req.acceptsLanguages('en', 'fr') === 'fr' ? 'Bonjour' : 'Hello');
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
