export { stack, orderMiddleware } from './stack';
export { upgradeGuard } from './upgrade';
export type { UpgradeListener, AcceptUpgrade, UpgradeErrorHandler } from './upgrade';
