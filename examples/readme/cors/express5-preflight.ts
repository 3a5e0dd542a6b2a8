import express from 'express';
import { cors } from '@mw/cors';
import type { CorsOptions } from '@mw/cors';

const options: CorsOptions = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['Content-Type'],
};
const createItem: express.RequestHandler = (_req, res) => {
  res.status(201).json({ id: 1 });
};

// 1. Mount it before the routes: preflights for any path are answered, routed or not.
export const mounted = express();
mounted.use(cors(options));
mounted.post('/api/items', createItem);

// 2. Only on OPTIONS, then per route for the actual requests. '/{*splat}' also matches '/'.
export const perRoute = express();
perRoute.options('/{*splat}', cors(options));
perRoute.post('/api/items', cors(options), createItem);
