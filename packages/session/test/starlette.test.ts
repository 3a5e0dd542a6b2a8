/** Starlette's tests/middleware/test_session.py (REFERENCE.md 3.3), on the 1.7 profile. */
import request from 'supertest';
import { session } from '@mw/session';
import { app, cookieValue, setCookies, useClock } from './helpers';

const secretKey = 'example';
useClock();

describe('session(options)', () => {
  it('SE-1: keeps data across requests and clears it', async () => {
    const server = app(session({ secretKey }));
    let res = await request(server).get('/view_session');
    expect(res.body).toEqual({ session: {} });

    res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.body).toEqual({ session: { some: 'data' } });
    expect(setCookies(res)[0]).toMatch(/; Max-Age=([0-9]+);/);
    expect(/; Max-Age=([0-9]+);/.exec(setCookies(res)[0]!)![1]).toBe('1209600');
    const cookie = `session=${cookieValue(res)!}`;

    res = await request(server).get('/view_session').set('Cookie', cookie);
    expect(res.body).toEqual({ session: { some: 'data' } });

    res = await request(server).post('/clear_session').set('Cookie', cookie);
    expect(res.body).toEqual({ session: {} });
    expect(setCookies(res)).toEqual([
      'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax',
    ]);

    res = await request(server).get('/view_session');
    expect(res.body).toEqual({ session: {} });
  });

  it('SE-2: with maxAge -1 a stored cookie reads back as expired', async () => {
    const server = app(session({ secretKey, maxAge: -1 }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.body).toEqual({ session: { some: 'data' } });
    const value = cookieValue(res)!;
    const again = await request(server).get('/view_session').set('Cookie', `session=${value}`);
    expect(again.body).toEqual({ session: {} });
  });

  it('SE-3: with httpsOnly the cookie is secure, so only an HTTPS client sends it back', async () => {
    const server = app(session({ secretKey, httpsOnly: true }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.body).toEqual({ session: { some: 'data' } });
    expect(setCookies(res)[0]).toMatch(/; httponly; samesite=lax; secure$/);
    // An http client's jar keeps the secure cookie to itself: the next request has none.
    expect((await request(server).get('/view_session')).body).toEqual({ session: {} });
    // An https client sends it back: the session reads, then clears.
    const cookie = `session=${cookieValue(res)!}`;
    const read = await request(server).get('/view_session').set('Cookie', cookie);
    expect(read.body).toEqual({ session: { some: 'data' } });
    const cleared = await request(server).post('/clear_session').set('Cookie', cookie);
    expect(cleared.body).toEqual({ session: {} });
    expect(setCookies(cleared)[0]).toBe(
      'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax; secure',
    );
  });

  it('SE-4: path "/second_app" is written as the cookie path', async () => {
    const server = app(session({ secretKey, path: '/second_app' }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.status).toBe(200);
    expect(/; path=(\S+);/.exec(setCookies(res)[0]!)![1]).toBe('/second_app');
  });

  it('SE-5: an invalid cookie gives an empty session, no error', async () => {
    const server = app(session({ secretKey }));
    await request(server).post('/update_session').send({ some: 'data' });
    const res = await request(server).get('/view_session').set('Cookie', 'session=invalid');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ session: {} });
  });

  it('SE-6: maxAge null writes no Max-Age (a browser-session cookie)', async () => {
    const server = app(session({ secretKey, maxAge: null }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.body).toEqual({ session: { some: 'data' } });
    expect(setCookies(res)[0]).not.toMatch(/max-age/i);
    expect((await request(server).get('/view_session')).body).toEqual({ session: {} });
  });

  it('SE-7: domain ".example.com" is written as the cookie domain', async () => {
    const server = app(session({ secretKey, domain: '.example.com' }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.body).toEqual({ session: { some: 'data' } });
    expect(setCookies(res)[0]).toContain('domain=.example.com');
    expect((await request(server).get('/view_session')).body).toEqual({ session: {} });
  });

  it('SE-8: sets the cookie only when the session was modified', async () => {
    const server = app(session({ secretKey }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.headers['set-cookie']).toBeDefined();
    const read = await request(server)
      .get('/view_session')
      .set('Cookie', `session=${cookieValue(res)!}`);
    expect(read.body).toEqual({ session: { some: 'data' } });
    expect(read.headers['set-cookie']).toBeUndefined();
  });

  it('SE-9: adds Vary: Cookie when the session is accessed, not otherwise', async () => {
    const server = app(session({ secretKey }));
    const res = await request(server).post('/update_session').send({ some: 'data' });
    expect(res.headers['vary']).toMatch(/cookie/i);
    const read = await request(server)
      .get('/view_session')
      .set('Cookie', `session=${cookieValue(res)!}`);
    expect(read.headers['vary']).toMatch(/cookie/i);
    const untouched = await request(server)
      .get('/no_session')
      .set('Cookie', `session=${cookieValue(res)!}`);
    expect(untouched.headers['vary']).toBeUndefined();
  });
});
