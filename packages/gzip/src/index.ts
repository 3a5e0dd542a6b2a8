export { gzip } from './gzip';
export type { GzipOptions } from './options';
export type { FlushableResponse } from './flush';
