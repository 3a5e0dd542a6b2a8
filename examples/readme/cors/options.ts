import { cors } from '@mw/cors';

// A public, read-only API: anyone may read, no cookies.
export const publicApi = cors({ allowOrigins: ['*'], allowMethods: ['GET', 'HEAD'] });

// A first-party app and its preview deployments, with cookies.
export const firstParty = cors({
  allowOrigins: ['https://app.example.com', 'https://*.preview.example.com'],
  allowMethods: ['*'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
  exposeHeaders: ['X-Request-Id'],
  allowCredentials: true,
  maxAge: 3600,
});

// Tenants' custom domains from a database (async), with credentials.
const tenants = {
  hasDomain: async (hostname: string) => ['shop.example.net'].includes(hostname), // your database
};
export const tenantDomains = cors({
  allowOrigin: async (origin) => tenants.hasDomain(new URL(origin).hostname),
  allowCredentials: true,
});
