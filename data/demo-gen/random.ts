// Seeded randomness. Every record draws from its own stream (seed + labels), so adding a
// draw for one deal never shifts the numbers of every other deal.

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for simulation; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the labels' text, so `rngFor(42, 'deal', 7)` is a stable, independent stream. */
export function hashLabels(...labels: (string | number)[]): number {
  let hash = 0x811c9dc5;
  const text = labels.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function rngFor(seed: number, ...labels: (string | number)[]): Rng {
  return mulberry32(hashLabels(seed, ...labels));
}

export function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

export function between(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng();
}

/** Integer in [low, high], both inclusive. */
export function intBetween(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng() * (high - low + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export function pickWeighted<T>(rng: Rng, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let target = rng() * total;
  for (const [item, weight] of entries) {
    target -= weight;
    if (target < 0) return item;
  }
  return entries[entries.length - 1][0];
}

/** Standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1], keeps log finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Right-skewed positive draw: half the values fall below `median`. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}
