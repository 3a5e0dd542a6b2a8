import express from 'express';
import { session } from '@mw/session';

const app = express();
app.set('json replacer', (_key: string, value: unknown) =>
  typeof value === 'bigint' ? value.toString() : value,
);
app.use(session({ secretKey: process.env.SESSION_SECRET ?? 'dev-only-secret' }));
app.get('/me', (req, res) => {
  res.json({ userId: req.session.userId }); // 1234567890123456789n -> "1234567890123456789"
});
app.listen(Number(process.env.PORT ?? 3000));
