const express = require('express');
const { cors } = require('@mw/cors');

const app = express();
app.use(
  cors({
    allowOrigins: ['https://app.example.com', 'https://*.example.com'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    allowCredentials: true,
  }),
);
app.get('/api/items', (_req, res) => res.json([]));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
