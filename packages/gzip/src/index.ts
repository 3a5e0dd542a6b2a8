export { gzip } from './gzip';
export type { GzipOptions } from './options';
