import express from 'express';
import { session } from '@mw/session';

const app = express();
// nginx on this machine terminates TLS and says so in X-Forwarded-Proto (the config above).
app.set('trust proxy', 'loopback');
// `Secure` on the cookie whenever the visitor came over https, directly or through nginx.
app.use(session({ secretKey: process.env.SESSION_SECRET ?? 'change me', secure: 'auto' }));
app.get('/', (req, res) => {
  req.session.visits = Number(req.session.visits ?? 0) + 1;
  res.send(`visits: ${req.session.visits}`);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`Listening on http://127.0.0.1:${port}`));
