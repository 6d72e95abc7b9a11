/** How many tabs hold, and how many wait for, the Web Lock of a phone line (`earshot-line:…`). */
export interface LineLocks {
  held: number;
  pending: number;
}

/**
 * The Web Locks of the lines whose key ends with `keyEnd` (a whole key, or `|1001` for an
 * extension). A tab that queued for the lock has decided to follow; a lock nobody holds or waits
 * for is one no tab can take over any more.
 */
export async function lineLocks(keyEnd: string): Promise<LineLocks> {
  const { held = [], pending = [] } = await navigator.locks.query();
  const ours = (lock: LockInfo) =>
    Boolean(lock.name?.startsWith('earshot-line:') && lock.name.endsWith(keyEnd));
  return { held: held.filter(ours).length, pending: pending.filter(ours).length };
}
