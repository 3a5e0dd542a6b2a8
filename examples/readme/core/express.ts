import express from 'express';
import { vary, onBeforeHead } from '@mw/core';

const app = express();
// Adds Accept-Language to Vary just before the head is written, keeping what others added.
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
