import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Decision } from '@mw/core';

/** What the channel `mw:<pkg>` published while `run` ran (subscribed only meanwhile). */
export async function decisions(pkg: string, run: () => unknown): Promise<Decision[]> {
  const seen: Decision[] = [];
  const onMessage = (message: unknown) => seen.push(message as Decision);
  subscribe(`mw:${pkg}`, onMessage);
  try {
    await run();
  } finally {
    unsubscribe(`mw:${pkg}`, onMessage);
  }
  return seen;
}
