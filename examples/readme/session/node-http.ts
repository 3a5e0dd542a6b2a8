import http from 'node:http';
import { session } from '@mw/session';

const withSession = session({ secretKey: process.env.SESSION_SECRET ?? 'change me' });

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    withSession(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      const views = ((req.session.views as number | undefined) ?? 0) + 1;
      req.session.views = views;
      res.end(`views: ${views}`);
    });
  })
  .listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
