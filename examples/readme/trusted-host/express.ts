import express from 'express';
import { trustedHost } from '@mw/trusted-host';

const app = express();
// First, before anything that reads the Host (redirects, links, caches, CORS).
app.use(trustedHost({ allowedHosts: ['example.com', '*.example.com', 'localhost'] }));
app.get('/', (_req, res) => res.send('OK'));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
