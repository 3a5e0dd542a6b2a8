import http from 'node:http';
import { WebSocketServer } from 'ws';
import { cors } from '@mw/cors';
import { session } from '@mw/session';
import { stack, upgradeGuard } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

// One policy for HTTP requests and WebSocket handshakes alike.
const policy = stack(
  trustedHost({ allowedHosts: ['localhost', '127.0.0.1'] }),
  cors({ allowOrigins: ['https://app.example.com'] }),
  session({ secretKey: process.env.SESSION_SECRET ?? 'change-me' }),
);

const server = http.createServer((req, res) =>
  policy(req, res, (err) => {
    if (err) res.statusCode = 500;
    else if (req.url === '/login') req.session.user = 'ada';
    res.end(err ? 'error' : 'OK');
  }),
);

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => ws.send(`hello ${req.session.user ?? 'guest'}`));

// A bad Host gets 400, a cross-site page 403; what passes reaches ws with req.session loaded.
server.on(
  'upgrade',
  upgradeGuard(policy, (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }),
);

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
