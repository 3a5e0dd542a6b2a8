export { httpsRedirect } from './https-redirect';
export type { HttpsRedirectOptions } from './https-redirect';
export type { HstsOptions } from './hsts';
