/**
 * Deliberate type errors: typecheck.test.ts expects tsc to FAIL on this file with exactly
 * these errors, so the consumer check is able to fail.
 */
import express from 'express';
import { cors } from '@mw/cors';
import { session } from '@mw/session';

const app = express();
app.use(cors({ allowOrigins: 'https://app.example.com' }));
app.use(session({ secretKey: 42 }));
app.get('/', (req, res) => {
  req.session.regenerate('not a callback');
  res.end();
});
