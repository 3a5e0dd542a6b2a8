import http from 'node:http';
import { WebSocketServer } from 'ws';
import { upgradeGuard } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

const hosts = trustedHost({ allowedHosts: ['localhost', '127.0.0.1'] });
const server = http.createServer((req, res) => hosts(req, res, () => res.end('OK')));

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws) => ws.send('hello'));

// `Host: evil.example` gets 400 Invalid host header, on upgrades as on requests.
server.on(
  'upgrade',
  upgradeGuard(hosts, (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }),
);

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
