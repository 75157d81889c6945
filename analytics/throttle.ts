/**
 * Failed attempts per key (an account, a client address) within a sliding window: once a
 * key has `limit` of them it is refused until the oldest leaves the window. An attempt
 * counts as failed from the moment it starts, so guesses sent in parallel cannot slip past
 * the limit while the password is being checked; a success forgives it. In memory only: a
 * restart forgets, and at most `maxKeys` keys are remembered (the oldest go first).
 */
export interface Throttle {
  /** Seconds until every one of the keys may try again; 0 when they all may now. */
  wait(keys: string[]): number;
  /** Counts an attempt against every key; returns its mark, for `forgive`. */
  attempt(keys: string[]): number;
  /** Takes a successful attempt back from a key. */
  forgive(key: string, mark: number): void;
  /** Forgets a key's failures (its owner signed in). */
  reset(key: string): void;
}

export function createThrottle(opts: { limit: number; windowMs: number; maxKeys?: number; now?: () => number }): Throttle {
  const { limit, windowMs, maxKeys = 10_000, now = Date.now } = opts;
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((at) => at > now() - windowMs);
  return {
    wait(keys) {
      const waits = keys.map((key) => {
        const list = recent(key);
        return list.length < limit ? 0 : list[list.length - limit] + windowMs - now();
      });
      return Math.ceil(Math.max(0, ...waits) / 1000);
    },
    attempt(keys) {
      const mark = now();
      for (const key of keys) {
        const list = recent(key);
        failures.delete(key); // re-inserted last: the oldest keys are the ones dropped
        failures.set(key, [...list, mark]);
      }
      for (const key of failures.keys()) {
        if (failures.size <= maxKeys) break;
        failures.delete(key);
      }
      return mark;
    },
    forgive(key, mark) {
      const list = failures.get(key) ?? [];
      const i = list.lastIndexOf(mark);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) failures.delete(key);
    },
    reset(key) {
      failures.delete(key);
    }
  };
}
