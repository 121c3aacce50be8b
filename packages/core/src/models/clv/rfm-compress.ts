import { TenureError } from "../../errors";

/** What the repeat-purchase models need of a customer. */
export interface RfmPoint {
  frequency: number;
  recency: number;
  T: number;
}

/** Unique (x, t_x, T) triples with their counts, and an index into the unique frequencies. */
export interface CompressedRfm {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  /** Index of each triple's x in `uniqueX`. */
  xIndex: Int32Array;
  uniqueX: Float64Array;
  customers: number;
  repeatBuyers: number;
}

/** Validates customers and groups identical (x, t_x, T) so likelihoods cost one term per distinct triple. */
export function compressRfm(rows: readonly RfmPoint[]): CompressedRfm {
  if (rows.length === 0)
    throw new TenureError("validation", "no customers to fit: the transaction log is empty");
  const groups = new Map<string, number>();
  const keys: RfmPoint[] = [];
  const counts: number[] = [];
  let repeatBuyers = 0;
  rows.forEach((r, i) => {
    const { frequency: x, recency: tx, T } = r;
    if (!Number.isInteger(x) || x < 0 || !(tx >= 0) || !(T >= tx) || !Number.isFinite(T)) {
      throw new TenureError(
        "validation",
        `customer ${i + 1}: needs a whole frequency ≥ 0 and 0 ≤ recency ≤ T, got x=${x}, t_x=${tx}, T=${T}`,
      );
    }
    if (x > 0 && tx === 0) {
      throw new TenureError("validation", `customer ${i + 1}: repeat purchases (x=${x}) need a recency > 0`);
    }
    if (x > 0) repeatBuyers++;
    const key = `${x}|${tx}|${T}`;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, keys.length);
      keys.push(r);
      counts.push(1);
    } else counts[g]!++;
  });
  const uniqueX = [...new Set(keys.map((k) => k.frequency))].sort((a, b) => a - b);
  const xPos = new Map(uniqueX.map((x, i) => [x, i]));
  const n = keys.length;
  const out: CompressedRfm = {
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    count: Float64Array.from(counts),
    xIndex: new Int32Array(n),
    uniqueX: Float64Array.from(uniqueX),
    customers: rows.length,
    repeatBuyers,
  };
  keys.forEach((k, i) => {
    out.x[i] = k.frequency;
    out.tx[i] = k.recency;
    out.T[i] = k.T;
    out.xIndex[i] = xPos.get(k.frequency)!;
  });
  return out;
}
