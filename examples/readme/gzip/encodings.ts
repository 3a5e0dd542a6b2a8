import express from 'express';
import { gzip } from '@mw/gzip';

const app = express();
// zstd where Node has it (22.15+), else brotli, else gzip: the client's q-values decide,
// this order breaks ties.
app.use(gzip({ encodings: ['zstd', 'br', 'gzip'], brotliQuality: 4, compressLevel: 6 }));
app.get('/', (_req, res) => res.type('text').send('Hello, compressed world! '.repeat(100)));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
