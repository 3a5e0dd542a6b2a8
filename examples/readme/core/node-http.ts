import http from 'node:http';
import { requestHost, sendText } from '@mw/core';

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    const host = requestHost(req); // lower case, trailing dot dropped; undefined if malformed
    if (!host) return sendText(res, 400, 'Invalid host header');
    res.end(`hello ${host.hostname}`);
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
