import http from 'node:http';
import { Server } from 'socket.io';
import { session } from '@mw/session';

const sessions = session({ secretKey: process.env.SESSION_SECRET ?? 'change-me' });

const server = http.createServer((req, res) =>
  sessions(req, res, () => {
    if (req.url === '/login') req.session.user = 'ada';
    res.end('OK');
  }),
);

const io = new Server(server);
io.engine.use(sessions);
io.on('connection', (socket) => {
  // Loaded from the handshake's cookie; read-only here (nothing can carry a new cookie).
  const { user } = socket.request.session;
  socket.emit('hello', user ?? 'guest');
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
