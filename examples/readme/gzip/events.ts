import express from 'express';
import { gzip } from '@mw/gzip';

const app = express();
// text/event-stream is excluded by default; this list leaves it out, so events are compressed.
app.use(gzip({ excludeContentTypes: ['image/*', 'video/*', 'audio/*'] }));

app.get('/events', (_req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  const send = (): void => {
    res.write(`data: ${JSON.stringify({ now: Date.now() })}\n\n`);
    res.flush(); // typed by importing @mw/gzip: no cast
  };
  send();
  const timer = setInterval(send, 1000);
  res.on('close', () => clearInterval(timer));
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
