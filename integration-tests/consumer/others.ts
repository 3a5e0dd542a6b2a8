/** The same middleware in Connect, Polka and a bare node:http pipeline (express 5 types). */
import http from 'node:http';
import connect from 'connect';
import polka from 'polka';
import { cors } from '@mw/cors';
import { gzip } from '@mw/gzip';
import { session } from '@mw/session';
import { stack } from '@mw/stack';
import { trustedHost } from '@mw/trusted-host';

const mw = stack(trustedHost(), cors(), gzip(), session({ secretKey: 'x' }));

connect().use(mw).use(cors());

polka()
  .use(mw)
  .get('/', (req, res) => {
    res.end(String(req.session.visits));
  });

http.createServer((req, res) => {
  mw(req, res, (err) => {
    if (err) {
      res.statusCode = 500;
      res.end();
      return;
    }
    req.session.visits = 1;
    res.end('ok');
  });
});
