// Type fixture compiled by gzip-types.test.ts WITHOUT importing @mw/gzip: res.flush() must
// not compile here, which proves the augmentation (not something else) makes it compile.
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';

export const a = (res: ServerResponse): void => res.flush();
export const b = (res: Response): void => res.flush();
