/**
 * passport 0.7 + passport-local on Express 5: login (which regenerates, then saves), a
 * protected route, and logout (which saves, then regenerates), with no shims.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import request from 'supertest';
import { session } from '@mw/session';

const CLEARING =
  'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';

interface User {
  id: string;
  name: string;
}
const USERS: Record<string, User & { password: string }> = {
  alice: { id: 'u1', name: 'alice', password: 'wonderland' },
};

function createApp() {
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS[username];
      done(null, user && user.password === password ? { id: user.id, name: user.name } : false);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, (user as User).id));
  authenticator.deserializeUser((id: string, done) =>
    done(null, Object.values(USERS).find((u) => u.id === id) ?? false),
  );

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(session({ secretKey: 'passport-secret' }));
  app.use(authenticator.session());
  app.post(
    '/login',
    authenticator.authenticate('local', { failureRedirect: '/login-failed' }),
    (_req, res) => {
      res.redirect('/profile');
    },
  );
  app.get('/profile', (req: Request, res: Response) => {
    if (!req.isAuthenticated()) {
      res.status(401).send('login first');
      return;
    }
    res.send(`hello ${(req.user as User).name}`);
  });
  app.post('/logout', (req: Request, res: Response, next: NextFunction) => {
    req.logout((err) => (err ? next(err) : res.redirect('/')));
  });
  return app;
}

function sessionCookie(res: request.Response): string {
  const lines = (res.headers['set-cookie'] ?? []) as unknown as string[];
  const line = lines.find((l) => l.startsWith('session='));
  if (!line) throw new Error('no session cookie');
  return line.split(';')[0]!;
}

describe('session(options) with passport 0.7 and passport-local under Express 5', () => {
  const app = createApp();

  it('refuses the protected route without a login', async () => {
    const res = await request(app).get('/profile');
    expect(res.status).toBe(401);
  });

  it('refuses a wrong password without setting a cookie', async () => {
    const res = await request(app)
      .post('/login')
      .type('form')
      .send({ username: 'alice', password: 'x' });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/login-failed');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('logs in, serves the protected route, and logs out', async () => {
    const login = await request(app)
      .post('/login')
      .type('form')
      .send({ username: 'alice', password: 'wonderland' });
    expect(login.status).toBe(302);
    expect(login.headers['location']).toBe('/profile');
    const cookie = sessionCookie(login);

    const profile = await request(app).get('/profile').set('Cookie', cookie);
    expect(profile.status).toBe(200);
    expect(profile.text).toBe('hello alice');
    expect(profile.headers['set-cookie']).toBeUndefined(); // read only: not re-issued

    const logout = await request(app).post('/logout').set('Cookie', cookie);
    expect(logout.status).toBe(302);
    expect(logout.headers['set-cookie']).toEqual([CLEARING]);

    // The browser dropped the cookie: the route is protected again.
    expect((await request(app).get('/profile')).status).toBe(401);
  });

  it('keeps working with the agent cookie jar (a browser-like client)', async () => {
    const agent = request.agent(app);
    await agent.post('/login').type('form').send({ username: 'alice', password: 'wonderland' });
    expect((await agent.get('/profile')).text).toBe('hello alice');
    await agent.post('/logout');
    expect((await agent.get('/profile')).status).toBe(401);
  });
});
