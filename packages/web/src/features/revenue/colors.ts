import type { MovementKind } from "../../api/types";

/** Movement kinds in display order: gains first, then losses. */
export const MOVEMENT_ORDER: readonly MovementKind[] = [
  "new",
  "expansion",
  "reactivation",
  "contraction",
  "churn",
];

/** Series colours shared by the movements chart, table and drill-down. */
export const MOVEMENT_COLORS: Record<MovementKind, string> = {
  new: "#2563eb",
  expansion: "#16a34a",
  reactivation: "#7c3aed",
  contraction: "#f59e0b",
  churn: "#dc2626",
};

export const NET_COLOR = "#111827";
export const MRR_COLOR = "#1e40af";
export const CUSTOMERS_COLOR = "#0d9488";
/** Palette for what-if scenarios and channel bars. */
export const PALETTE = [
  "#1e40af",
  "#16a34a",
  "#dc2626",
  "#f59e0b",
  "#7c3aed",
  "#0d9488",
  "#db2777",
  "#64748b",
];

export const AXIS_LABEL = { color: "#6b7280", fontSize: 11 } as const;
export const SPLIT_LINE = { lineStyle: { color: "#eef0f3" } } as const;
