/**
 * A seeded PRNG (mulberry32, floats in [0, 1)): the same seed gives the same stream on every platform.
 * The one PRNG of the code base: the demo generator and the models share it.
 */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle in place with the given PRNG. */
export function shuffleInPlace<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/**
 * Stratified fold numbers 0..k-1 for binary labels: each class is shuffled, then dealt round-robin,
 * so every fold gets the same share of positives.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const folds = new Int32Array(labels.length);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i]! > 0.5 ? pos : neg).push(i);
  let next = 0;
  for (const group of [shuffleInPlace(pos, rng), shuffleInPlace(neg, rng)]) {
    for (const i of group) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

/** Deterministic stratified train/test split: `true` = test. About `testShare` of each class goes to test. */
export function stratifiedSplit(labels: ArrayLike<number>, testShare: number, seed: number): boolean[] {
  const rng = createRng(seed);
  const isTest = new Array<boolean>(labels.length).fill(false);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i]! > 0.5 ? pos : neg).push(i);
  for (const group of [pos, neg]) {
    shuffleInPlace(group, rng);
    const nTest = Math.round(group.length * testShare);
    for (let j = 0; j < nTest; j++) isTest[group[j]!] = true;
  }
  return isTest;
}
