import http from 'node:http';
import { httpsRedirect } from '@mw/https-redirect';

const toHttps = httpsRedirect();
const port = Number(process.env.PORT ?? 80);

http
  .createServer((req, res) => {
    toHttps(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      res.end('OK'); // only reached over HTTPS
    });
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
