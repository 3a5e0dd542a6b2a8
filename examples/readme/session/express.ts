import express from 'express';
import { session } from '@mw/session';

const app = express();
app.use(session({ secretKey: process.env.SESSION_SECRET ?? 'change me' }));

app.post('/cart', (req, res) => {
  const cart = (req.session.cart ??= []) as string[];
  cart.push(String(req.query.item)); // nested changes are detected and saved
  res.json(cart);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, 'localhost', () => console.log(`Listening on http://localhost:${port}`));
