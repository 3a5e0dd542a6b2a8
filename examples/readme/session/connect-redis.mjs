import express from 'express';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { session } from '@mw/session';

// connect-redis's README: the client, then the store.
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const redisStore = new RedisStore({ client: redisClient, prefix: 'myapp:' });

const app = express();
app.use(session({ secretKey: process.env.SESSION_SECRET, store: redisStore }));
app.get('/', (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1;
  res.send(`views: ${req.session.views}`);
});
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
