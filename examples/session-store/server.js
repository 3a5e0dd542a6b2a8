'use strict';
// Server-side sessions on Redis with passport's login and "remember me".
//   PORT            the port to listen on, 127.0.0.1 only (default 3000)
//   REDIS_URL       the Redis to keep sessions in (default redis://127.0.0.1:6379)
//   SESSION_SECRET  the key the session id cookie is signed with (required)
// Run two of these on different ports against one Redis: a login on one is seen by the other.
const express = require('express');
const passport = require('passport');
const { Strategy: LocalStrategy } = require('passport-local');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');
const { session } = require('@mw/session');

const port = Number(process.env.PORT || 3000);
const secret = process.env.SESSION_SECRET;
if (!secret) {
  console.error('session-store: set SESSION_SECRET (e.g. `openssl rand -hex 32`)');
  process.exit(1);
}

// connect-redis's README, as written there.
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const redisStore = new RedisStore({ client: redisClient, prefix: 'myapp:' });

const USERS = { ada: { id: 'u1', name: 'ada', password: 'lovelace' } };
passport.use(
  new LocalStrategy((username, password, done) => {
    const user = USERS[username];
    done(null, user && user.password === password ? { id: user.id, name: user.name } : false);
  }),
);
passport.serializeUser((user, done) => done(null, user.id));
passport.deserializeUser((id, done) =>
  done(null, Object.values(USERS).find((u) => u.id === id) || false),
);

const TWO_HOURS = 2 * 3600;
const THIRTY_DAYS = 30 * 24 * 3600;

const app = express();
app.use(express.urlencoded({ extended: false }));
// A browser-session cookie by default; "remember me" makes it last 30 days.
app.use(session({ secretKey: secret, store: redisStore, maxAge: TWO_HOURS, storeTimeout: 2000 }));
app.use(passport.session());

app.post('/login', passport.authenticate('local', { failureRedirect: '/login' }), (req, res) => {
  // setMaxAge after passport's login: its regenerate() starts a fresh session.
  req.session.setMaxAge(req.body.remember === 'on' ? THIRTY_DAYS : TWO_HOURS);
  res.redirect('/me');
});
app.get('/me', (req, res) => {
  if (!req.user) return res.status(401).json({ user: null, pid: process.pid });
  req.session.views = (req.session.views || 0) + 1;
  res.json({ user: req.user.name, views: req.session.views, pid: process.pid });
});
app.post('/logout', (req, res, next) =>
  req.logout((err) => (err ? next(err) : req.session.destroy(() => res.redirect('/me')))),
);
app.get('/health', (_req, res) => res.send('ok'));
app.use((err, _req, res, _next) => res.status(500).send(`error: ${err.message}`));

const server = app.listen(port, '127.0.0.1', () => console.log(`listening on ${port}`));
function close() {
  server.close();
  redisClient.quit().catch(() => redisClient.destroy());
}
process.on('SIGTERM', close);
process.on('SIGINT', close);
