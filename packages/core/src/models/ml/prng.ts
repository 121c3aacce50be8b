import { mulberry32 } from "../../demo/prng";

/** A seeded PRNG (mulberry32): the same seed gives the same stream on every platform. */
export const createRng: (seed: number) => () => number = mulberry32;

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
