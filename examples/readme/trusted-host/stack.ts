import { stack } from '@mw/stack';
import { httpsRedirect } from '@mw/https-redirect';
import { trustedHost } from '@mw/trusted-host';

// runs trustedHost, then httpsRedirect
export const middleware = stack(httpsRedirect(), trustedHost({ allowedHosts: ['example.com'] }));
