export { stack, orderMiddleware } from './stack';
