import express from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { session } from '@mw/session';

interface User {
  id: string;
  username: string;
  password: string;
}
const users: User[] = [{ id: '1', username: 'ada', password: 'lovelace' }]; // use a real store

passport.use(
  new LocalStrategy((username, password, done) => {
    const user = users.find((u) => u.username === username && u.password === password);
    done(null, user ?? false);
  }),
);
passport.serializeUser((user, done) => done(null, (user as User).id));
passport.deserializeUser((id: string, done) => done(null, users.find((u) => u.id === id) ?? false));

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({ secretKey: process.env.SESSION_SECRET ?? 'change me', httpsOnly: true }));
app.use(passport.session());
app.post('/login', passport.authenticate('local', { failureRedirect: '/login' }), (req, res) =>
  res.redirect('/'),
);
app.post('/logout', (req, res, next) => req.logout((err) => (err ? next(err) : res.redirect('/'))));
app.get('/', (req, res) => res.send(req.user ? `Hello, ${(req.user as User).username}` : 'Hello'));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
