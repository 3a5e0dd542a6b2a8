export { cors } from './cors';
export type { CorsOptions, AllowOriginFn } from './options';
