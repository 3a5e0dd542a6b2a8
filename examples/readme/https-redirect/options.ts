import { httpsRedirect } from '@mw/https-redirect';

// Behind one TLS-terminating load balancer, permanent redirects, two-year HSTS.
export const behindLoadBalancer = httpsRedirect({
  trustProxy: 1,
  statusCode: 308,
  hsts: { maxAge: 63072000 },
});

// Behind proxies on a private network.
export const privateNetwork = httpsRedirect({ trustProxy: (address) => address.startsWith('10.') });

// HSTS preload list submission (hstspreload.org wants >= 1 year and includeSubDomains).
export const preload = httpsRedirect({
  hsts: { maxAge: 63072000, includeSubDomains: true, preload: true },
});
