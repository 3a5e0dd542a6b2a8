import { Readable } from 'node:stream';
import express from 'express';
import { gzip } from '@mw/gzip';

const app = express();
app.use(gzip());

function* rows(): Generator<string> {
  yield 'id,name\n';
  for (let id = 0; id < 10_000; id++) yield `${id},item ${id}\n`;
}

app.get('/report.csv', (_req, res) => {
  res.setHeader('Content-Type', 'text/csv');
  // Compressed on the fly, backpressure respected; fs.createReadStream(file).pipe(res) alike.
  Readable.from(rows()).pipe(res);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
