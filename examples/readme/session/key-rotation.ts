import express from 'express';
import { session } from '@mw/session';

const app = express();
// The new secret first: it signs. The old one still verifies the cookies it signed, until
// they have expired (`maxAge`); then remove it.
app.use(session({ secretKey: [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!] }));
app.get('/me', (req, res) => res.json({ user: req.session.user ?? null }));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
