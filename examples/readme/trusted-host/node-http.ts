import http from 'node:http';
import { trustedHost } from '@mw/trusted-host';

const port = Number(process.env.PORT ?? 3000);
const checkHost = trustedHost({ allowedHosts: ['example.com', `localhost:${port}`] });

http
  .createServer((req, res) => {
    checkHost(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      res.end('OK');
    });
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
