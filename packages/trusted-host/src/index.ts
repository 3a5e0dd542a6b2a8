export { trustedHost } from './trusted-host';
export type { TrustedHostOptions } from './trusted-host';
