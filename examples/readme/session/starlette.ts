import express from 'express';
import { session } from '@mw/session';

const SECRET = process.env.SESSION_SECRET ?? 'change me'; // the Starlette service's secret_key

const app = express();
app.use(session({ secretKey: SECRET, sessionCookie: 'session', maxAge: 1209600, httpsOnly: true }));
app.get('/me', (req, res) => res.json({ user: req.session.user ?? null }));
app.post('/login', (req, res) => {
  req.session.user = String(req.query.user); // the Starlette service reads request.session["user"]
  res.sendStatus(204);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
