import http from 'node:http';
import { gzip } from '@mw/gzip';

const compress = gzip({ encodings: ['zstd', 'br', 'gzip'] }); // zstd where Node has it

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    compress(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ hello: 'world'.repeat(200) }));
    });
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
