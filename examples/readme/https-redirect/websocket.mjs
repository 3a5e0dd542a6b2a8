import http from 'node:http';
import { WebSocketServer } from 'ws';
import { httpsRedirect } from '@mw/https-redirect';
import { upgradeGuard } from '@mw/stack';

// Behind one TLS-terminating proxy (nginx: proxy_set_header X-Forwarded-Proto $scheme).
const redirect = httpsRedirect({ statusCode: 308, trustProxy: 1 });
const server = http.createServer((req, res) => redirect(req, res, () => res.end('OK')));

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws) => ws.send('hello over wss'));

// A ws:// handshake is answered 308 with Location: wss://...; wss:// ones open.
server.on(
  'upgrade',
  upgradeGuard(redirect, (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }),
);

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
