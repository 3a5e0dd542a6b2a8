import { trustedHost } from '@mw/trusted-host';

// The apex and every subdomain of it, www.example.com included.
export const apexAndSubdomains = trustedHost({ allowedHosts: ['example.com', '*.example.com'] });

// example.com visitors are sent to www.example.com with a 307.
export const wwwOnly = trustedHost({ allowedHosts: ['www.example.com'] });

// Development: a pinned local port and the IPv6 loopback.
export const development = trustedHost({
  allowedHosts: ['localhost:3000', '127.0.0.1:3000', '[::1]:3000'],
});
