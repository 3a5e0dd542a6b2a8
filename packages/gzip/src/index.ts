export { gzip } from './gzip';
export type { GzipFilter, GzipOptions } from './options';
export type { FlushableResponse } from './flush';
