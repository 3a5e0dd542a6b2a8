import type { RequestListener } from 'node:http';
import { session } from '@mw/session';

declare module '@mw/session' {
  interface SessionData {
    userId?: string;
    cart?: string[];
  }
}

export const withSession = session({ secretKey: process.env.SESSION_SECRET ?? 'change me' });

export const addApple: RequestListener = (req, res) => {
  req.session.cart ??= []; // string[] | undefined before, string[] after
  req.session.cart.push('apple');
  res.end(req.session.cart.join(','));
};
