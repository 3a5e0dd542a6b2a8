import http from 'node:http';
import { Server } from 'socket.io';
import { cors } from '@mw/cors';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

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

// engine.io runs it on long-polling requests and on WebSocket handshakes; a refused
// handshake is closed (engine.io's upgrade response cannot carry a status).
const io = new Server(server);
io.engine.use(policy);
io.on('connection', (socket) => socket.emit('hello', socket.request.session.user ?? 'guest'));

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
