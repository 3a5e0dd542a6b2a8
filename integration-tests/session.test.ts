import request from 'supertest';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { frameworks } from './support/frameworks';
import type { Handler } from './support/frameworks';

const CLEARING =
  'session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax';

/** A cart: GET shows it, POST /add?item=x pushes onto it, POST /clear empties the session. */
const app: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/add') {
    const cart = (req.session.cart ??= []) as string[];
    cart.push(url.searchParams.get('item') ?? '');
  } else if (req.method === 'POST' && url.pathname === '/clear') {
    req.session = {};
  } else if (url.pathname === '/fail') {
    req.session.fail = 'x'.repeat(5000);
  } else if (url.pathname === '/static') {
    res.end('static');
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(req.session));
};

function cookieOf(res: request.Response): string {
  const lines = res.headers['set-cookie'] as unknown as string[];
  return lines[0]!.split(';')[0]!;
}

describe.each(frameworks)('session(options) under $name', (fw) => {
  const listener = fw.create([session({ secretKey: 'integration' })], app);

  it('stores a nested change, reads it back, and clears it', async () => {
    const first = await request(listener).post('/add?item=apple');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ cart: ['apple'] });
    expect(first.headers['vary']).toBe('Cookie');
    const cookie = cookieOf(first);

    const second = await request(listener).post('/add?item=pear').set('Cookie', cookie);
    expect(second.body).toEqual({ cart: ['apple', 'pear'] });
    const cookie2 = cookieOf(second);

    const read = await request(listener).get('/').set('Cookie', cookie2);
    expect(read.body).toEqual({ cart: ['apple', 'pear'] });
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(read.headers['vary']).toBe('Cookie');

    const cleared = await request(listener).post('/clear').set('Cookie', cookie2);
    expect(cleared.body).toEqual({});
    expect(cleared.headers['set-cookie']).toEqual([CLEARING]);
  });

  it('leaves a response that never touches the session alone', async () => {
    const res = await request(listener).get('/static').set('Cookie', 'session=whatever');
    expect(res.text).toBe('static');
    expect(res.headers['vary']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 200 with an empty session for a tampered cookie', async () => {
    const first = await request(listener).post('/add?item=apple');
    const tampered = cookieOf(first).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await request(listener).get('/').set('Cookie', tampered);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('does not send a session over 4096 bytes and reports it to onError', async () => {
    const errors: Error[] = [];
    const mw = session({ secretKey: 'integration', onError: (err) => errors.push(err) });
    const res = await request(fw.create([mw], app)).get('/fail');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/4096-byte limit/)]);
  });

  it('works inside stack()', async () => {
    const res = await request(fw.create([stack(session({ secretKey: 'integration' }))], app)).post(
      '/add?item=fig',
    );
    expect(res.body).toEqual({ cart: ['fig'] });
    expect(cookieOf(res)).toMatch(/^session=[A-Za-z0-9+/=]+\.[\w-]+\.[\w-]{27}$/);
  });
});
