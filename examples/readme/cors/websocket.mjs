import http from 'node:http';
import { WebSocketServer } from 'ws';
import { cors } from '@mw/cors';
import { upgradeGuard } from '@mw/stack';

const policy = cors({ allowOrigins: ['https://app.example.com'] });
const server = http.createServer((req, res) => policy(req, res, () => res.end('OK')));

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws) => ws.send('hello'));

// Opens for clients without Origin, for this server's own origin and for
// https://app.example.com; any other page gets 403 Disallowed WebSocket origin.
server.on(
  'upgrade',
  upgradeGuard(policy, (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }),
);

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
