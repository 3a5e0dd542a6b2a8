import http from 'node:http';
import { cors } from '@mw/cors';

const withCors = cors({ allowOrigins: ['https://app.example.com'] });
const port = Number(process.env.PORT ?? 3000);

http
  .createServer((req, res) => {
    withCors(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      res.end('Homepage');
    });
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
