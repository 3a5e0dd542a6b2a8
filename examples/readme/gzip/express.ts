import express from 'express';
import { gzip } from '@mw/gzip';

const app = express();
app.use(gzip()); // before the routes whose responses it should compress

const items = Array.from({ length: 100 }, (_, id) => ({ id, name: `item ${id}` }));
app.get('/api/items', (_req, res) => res.json(items)); // about 3 KB: compressed
app.get('/api/ping', (_req, res) => res.json({ ok: true })); // under 500 bytes: sent as is

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
