import express from 'express';
import { trustedHost } from '@mw/trusted-host';

const app = express();
// nginx on this machine forwards Host and X-Forwarded-Proto (the config above): one setting
// for Express's req.hostname/req.protocol and for trustedHost.
app.set('trust proxy', 'loopback');
// A bare example.com is sent to www.example.com over the scheme the visitor used (https).
app.use(trustedHost({ allowedHosts: ['www.example.com', 'localhost'] }));
app.get('/', (req, res) => res.send(`Hello ${req.hostname} over ${req.protocol}`));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => console.log(`Listening on http://127.0.0.1:${port}`));
