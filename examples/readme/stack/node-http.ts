import http from 'node:http';
import { stack } from '@mw/stack';
import { gzip } from '@mw/gzip';

const mw = stack(gzip());
const items = Array.from({ length: 100 }, (_, id) => ({ id, name: `item ${id}` }));
const port = Number(process.env.PORT ?? 3000);

http
  .createServer((req, res) =>
    mw(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        return res.end('Internal Server Error');
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(items)); // gzipped when the client accepts gzip
    }),
  )
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
