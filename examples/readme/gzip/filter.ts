import express from 'express';
import { gzip } from '@mw/gzip';

const app = express();
// As compression's `filter`: false sends this response uncompressed, without Vary.
app.use(gzip({ filter: (req) => req.headers['x-no-compression'] === undefined }));
app.get('/', (_req, res) => res.type('text').send('Hello, compressed world! '.repeat(100)));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
