import type { Matrix } from "./encoder";
import { createRng } from "./prng";

/** Gradient-boosted trees settings (logistic loss). */
export interface GbtOptions {
  trees: number;
  depth: number;
  learningRate: number;
  /** Share of rows each tree sees (sampled without replacement). */
  subsample: number;
  /** Share of features each tree may split on. */
  colsample: number;
  /** Minimum hessian (≈ rows × p(1−p)) in a child. */
  minChildWeight: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Histogram bins per feature (≤ 256). */
  bins: number;
  seed: number;
  /**
   * Per feature (column of the binned matrix): +1 = the margin never falls as the value rises, −1 =
   * never rises, 0/absent = free. Enforced on every tree (XGBoost's method: a split on a constrained
   * feature must order its children, and both subtrees' leaves are bounded by their midpoint).
   */
  monotone?: ArrayLike<number>;
}

export const DEFAULT_GBT_OPTIONS: GbtOptions = {
  trees: 200,
  depth: 3,
  learningRate: 0.1,
  subsample: 0.8,
  colsample: 0.8,
  minChildWeight: 2,
  lambda: 1,
  bins: 64,
  seed: 42,
};

/** One tree as flat arrays; a node with feature −1 is a leaf. `value` is set on every node (for attribution). */
export interface Tree {
  feature: Int32Array;
  /** Go left when x ≤ threshold. */
  threshold: Float64Array;
  /** Go left when bin code ≤ splitBin (training-time fast path). */
  splitBin: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface GbtModel {
  /** Log-odds before any tree. */
  base: number;
  trees: Tree[];
}

/** Features quantised to bin codes, row-major, with the upper edge of each bin per feature. */
export interface BinnedMatrix {
  n: number;
  p: number;
  codes: Uint8Array;
  edges: Float64Array[];
  /** Where each feature's bins start in a histogram; the last entry is the total bin count. */
  offsets: Int32Array;
}

/** Quantile bin edges per feature, computed on the rows given. */
export function binMatrix(m: Matrix, maxBins: number, rows?: ArrayLike<number>): BinnedMatrix {
  const bins = Math.min(256, Math.max(2, maxBins));
  const all = rows ?? Int32Array.from({ length: m.n }, (_, i) => i);
  // Edges from at most 100k evenly spaced rows: quantiles barely move and sorting stays cheap.
  const stride = Math.max(1, Math.ceil(all.length / 100_000));
  const list =
    stride === 1
      ? all
      : Int32Array.from({ length: Math.ceil(all.length / stride) }, (_, r) => all[r * stride]!);
  const edges: Float64Array[] = [];
  const col = new Float64Array(list.length);
  for (let j = 0; j < m.p; j++) {
    for (let r = 0; r < list.length; r++) col[r] = m.data[list[r]! * m.p + j]!;
    const sorted = col.slice().sort();
    const uniq: number[] = [];
    for (const v of sorted) if (uniq.length === 0 || uniq[uniq.length - 1] !== v) uniq.push(v);
    const e: number[] = [];
    if (uniq.length <= bins) {
      for (let u = 0; u + 1 < uniq.length; u++) e.push((uniq[u]! + uniq[u + 1]!) / 2);
    } else {
      for (let b = 1; b < bins; b++) {
        const v = sorted[Math.floor((b * sorted.length) / bins)]!;
        if (e.length === 0 || v > e[e.length - 1]!) e.push(v);
      }
    }
    edges.push(Float64Array.from(e));
  }
  const codes = new Uint8Array(m.n * m.p);
  for (let i = 0; i < m.n; i++) {
    for (let j = 0; j < m.p; j++) codes[i * m.p + j] = binOf(edges[j]!, m.data[i * m.p + j]!);
  }
  const offsets = new Int32Array(m.p + 1);
  for (let j = 0; j < m.p; j++) offsets[j + 1] = offsets[j]! + edges[j]!.length + 1;
  return { n: m.n, p: m.p, codes, edges, offsets };
}

/** First bin whose upper edge is ≥ x (binary search). */
function binOf(e: Float64Array, x: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= e[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
}

/**
 * Fits gradient-boosted trees with logistic loss on binned features. `rows` restricts training to a
 * subset; `onTree(t, margins)` sees the model's margin for every row of the matrix after each tree
 * (used for early-stopping curves in cross-validation).
 */
export function fitGbt(
  bm: BinnedMatrix,
  y: ArrayLike<number>,
  options: Partial<GbtOptions> = {},
  rows?: ArrayLike<number>,
  onTree?: (treeCount: number, margins: Float64Array) => void,
): GbtModel {
  const o = { ...DEFAULT_GBT_OPTIONS, ...options };
  const rng = createRng(o.seed);
  const { n, p, codes, offsets } = bm;
  const train = rows ? Int32Array.from(rows) : Int32Array.from({ length: n }, (_, i) => i);
  let pos = 0;
  for (const i of train) pos += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / Math.max(1, train.length)));
  const base = Math.log(rate / (1 - rate));
  const margins = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: Tree[] = [];
  const sampleSize = Math.max(1, Math.round(train.length * o.subsample));
  const work = new Int32Array(train.length);
  const featAllowed = new Uint8Array(p);
  for (let t = 0; t < o.trees; t++) {
    for (const i of train) {
      const mu = 1 / (1 + Math.exp(-margins[i]!));
      grad[i] = mu - y[i]!;
      hess[i] = Math.max(mu * (1 - mu), 1e-12);
    }
    // Partial Fisher-Yates: the first sampleSize entries are the tree's rows.
    work.set(train);
    for (let k = 0; k < sampleSize && k < work.length - 1; k++) {
      const j = k + Math.floor(rng() * (work.length - k));
      const tmp = work[k]!;
      work[k] = work[j]!;
      work[j] = tmp;
    }
    featAllowed.fill(0);
    const nFeat = Math.max(1, Math.round(p * o.colsample));
    const perm = Array.from({ length: p }, (_, j) => j);
    for (let k = 0; k < nFeat; k++) {
      const j = k + Math.floor(rng() * (p - k));
      const tmp = perm[k]!;
      perm[k] = perm[j]!;
      perm[j] = tmp;
      featAllowed[perm[k]!] = 1;
    }
    // Sorted rows keep memory access sequential (the partition below is stable).
    const idx = work.slice(0, sampleSize).sort();
    const tree = growTree(codes, p, offsets, idx, grad, hess, featAllowed, o);
    trees.push(tree);
    for (let i = 0; i < n; i++) margins[i]! += leafValueByCodes(tree, codes, i * p);
    onTree?.(t + 1, margins);
  }
  return { base, trees };
}

function buildHist(
  codes: Uint8Array,
  p: number,
  offsets: Int32Array,
  idx: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
): Float64Array {
  const h = new Float64Array(offsets[p]! * 2);
  for (let r = start; r < end; r++) {
    const i = idx[r]!;
    const g = grad[i]!;
    const hh = hess[i]!;
    const off = i * p;
    for (let j = 0; j < p; j++) {
      const k = (offsets[j]! + codes[off + j]!) * 2;
      h[k]! += g;
      h[k + 1]! += hh;
    }
  }
  return h;
}

function growTree(
  codes: Uint8Array,
  p: number,
  offsets: Int32Array,
  idx: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  allowed: Uint8Array,
  o: GbtOptions,
): Tree {
  const scratch = new Int32Array(idx.length);
  const feature: number[] = [];
  const threshold: number[] = [];
  const splitBin: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const mono = o.monotone;
  const clamp = (w: number, lo: number, hi: number) => (w < lo ? lo : w > hi ? hi : w);
  // Leaf weight before the learning rate, kept inside the bounds its ancestors' splits set.
  const weight = (G: number, H: number, lo: number, hi: number) => clamp(-G / (H + o.lambda), lo, hi);
  const newNode = (G: number, H: number, lo: number, hi: number) => {
    feature.push(-1);
    threshold.push(0);
    splitBin.push(0);
    left.push(-1);
    right.push(-1);
    value.push(weight(G, H, lo, hi) * o.learningRate);
    return feature.length - 1;
  };
  // Gain of a child with its weight clamped (equals G²/(H+λ) when the bound does not bind).
  const childScore = (G: number, H: number, w: number) => -(2 * G * w + (H + o.lambda) * w * w);
  const bestSplit = (hist: Float64Array, G: number, H: number, lo: number, hi: number): Split | null => {
    const parentScore = childScore(G, H, weight(G, H, lo, hi));
    let best: Split | null = null;
    for (let j = 0; j < p; j++) {
      if (!allowed[j]) continue;
      const m = mono?.[j] ?? 0;
      let GL = 0;
      let HL = 0;
      const base = offsets[j]! * 2;
      const nb = offsets[j + 1]! - offsets[j]!;
      for (let b = 0; b < nb - 1; b++) {
        GL += hist[base + b * 2]!;
        HL += hist[base + b * 2 + 1]!;
        const HR = H - HL;
        if (HL < o.minChildWeight) continue;
        if (HR < o.minChildWeight) break;
        const GR = G - GL;
        const wl = weight(GL, HL, lo, hi);
        const wr = weight(GR, HR, lo, hi);
        // Left holds the lower values: its weight may not exceed the right's (+1), nor fall below (−1).
        if ((m > 0 && wl > wr) || (m < 0 && wl < wr)) continue;
        const gain = childScore(GL, HL, wl) + childScore(GR, HR, wr) - parentScore;
        if (gain > 1e-9 && (best === null || gain > best.gain)) best = { gain, feature: j, bin: b };
      }
    }
    return best;
  };
  const grow = (
    start: number,
    end: number,
    hist: Float64Array,
    G: number,
    H: number,
    depth: number,
    lo: number,
    hi: number,
  ) => {
    const node = newNode(G, H, lo, hi);
    if (depth >= o.depth || end - start < 2) return node;
    const split = bestSplit(hist, G, H, lo, hi);
    if (!split) return node;
    // Partition idx[start:end) so rows with code ≤ bin come first.
    let mid = start;
    let nRight = 0;
    for (let r = start; r < end; r++) {
      const i = idx[r]!;
      if (codes[i * p + split.feature]! <= split.bin) idx[mid++] = i;
      else scratch[nRight++] = i;
    }
    idx.set(scratch.subarray(0, nRight), mid);
    let GL = 0;
    let HL = 0;
    for (let r = start; r < mid; r++) {
      GL += grad[idx[r]!]!;
      HL += hess[idx[r]!]!;
    }
    // Histogram subtraction: scan the smaller child, derive the larger one from the parent.
    const leftSmaller = mid - start <= end - mid;
    const small = leftSmaller
      ? buildHist(codes, p, offsets, idx, start, mid, grad, hess)
      : buildHist(codes, p, offsets, idx, mid, end, grad, hess);
    const large = hist;
    for (let k = 0; k < large.length; k++) large[k]! -= small[k]!;
    const leftHist = leftSmaller ? small : large;
    const rightHist = leftSmaller ? large : small;
    feature[node] = split.feature;
    splitBin[node] = split.bin;
    // On a constrained feature every leaf of the left subtree stays on its side of the midpoint.
    const m = mono?.[split.feature] ?? 0;
    let leftLo = lo;
    let leftHi = hi;
    let rightLo = lo;
    let rightHi = hi;
    if (m !== 0) {
      const bound = (weight(GL, HL, lo, hi) + weight(G - GL, H - HL, lo, hi)) / 2;
      if (m > 0) {
        leftHi = bound;
        rightLo = bound;
      } else {
        leftLo = bound;
        rightHi = bound;
      }
    }
    const l = grow(start, mid, leftHist, GL, HL, depth + 1, leftLo, leftHi);
    const r = grow(mid, end, rightHist, G - GL, H - HL, depth + 1, rightLo, rightHi);
    left[node] = l;
    right[node] = r;
    return node;
  };
  let G = 0;
  let H = 0;
  for (const i of idx) {
    G += grad[i]!;
    H += hess[i]!;
  }
  grow(
    0,
    idx.length,
    buildHist(codes, p, offsets, idx, 0, idx.length, grad, hess),
    G,
    H,
    0,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
  );
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    splitBin: Int32Array.from(splitBin),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}

function leafValueByCodes(tree: Tree, codes: Uint8Array, off: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = codes[off + tree.feature[node]!]! <= tree.splitBin[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** Replaces bin numbers by real-valued thresholds so the model can score raw feature vectors. */
export function finalizeThresholds(model: GbtModel, bm: BinnedMatrix): GbtModel {
  for (const t of model.trees) {
    for (let k = 0; k < t.feature.length; k++) {
      const f = t.feature[k]!;
      if (f >= 0) t.threshold[k] = bm.edges[f]![t.splitBin[k]!] ?? Number.POSITIVE_INFINITY;
    }
  }
  return model;
}

/** The margin (log-odds) for one feature vector `x[off..off+p)`. */
export function gbtMargin(model: GbtModel, x: ArrayLike<number>, off = 0): number {
  let z = model.base;
  for (const t of model.trees) {
    let node = 0;
    while (t.feature[node]! >= 0) {
      node = x[off + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
    }
    z += t.value[node]!;
  }
  return z;
}

/**
 * Path attribution (Saabas): each split's change in node value is credited to its feature.
 * Returns one log-odds contribution per feature; they sum to margin − base − Σ root values.
 */
export function gbtContributions(model: GbtModel, x: ArrayLike<number>, p: number): Float64Array {
  const c = new Float64Array(p);
  for (const t of model.trees) {
    let node = 0;
    while (t.feature[node]! >= 0) {
      const f = t.feature[node]!;
      const next = x[f]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      c[f]! += t.value[next]! - t.value[node]!;
      node = next;
    }
  }
  return c;
}
