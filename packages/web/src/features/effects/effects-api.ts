import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "../../api/client";
import type { Schema } from "../../api/schema";

/** GET /api/effects/report */
export type EffectReport = Schema<"EffectReport">;
/** One playbook version's estimate. */
export type PlaybookEffect = Schema<"PlaybookEffect">;
/** Success and completion of one playbook over its versions. */
export type PlaybookSuccess = Schema<"PlaybookSuccess">;

/** The effect report: every playbook version against its hold-out or matched control. */
export function useEffectReport() {
  return useQuery({
    queryKey: ["effects", "report"],
    queryFn: () => apiFetch<EffectReport>("/api/effects/report"),
  });
}

/** Which way an estimate points: helped (interval on the wanted side of 0), hurt, or unclear. */
export type Verdict = "works" | "harms" | "unclear" | "none";

/** The verdict of an estimate, read against the playbook's goal (a decrease can be the aim). */
export function verdictOf(e: Pick<PlaybookEffect, "ciLow" | "ciHigh" | "goal">): Verdict {
  if (e.ciLow === null || e.ciHigh === null) return "none";
  const sign = e.goal === "decrease" ? -1 : 1;
  const low = Math.min(sign * e.ciLow, sign * e.ciHigh);
  const high = Math.max(sign * e.ciLow, sign * e.ciHigh);
  if (low > 0) return "works";
  if (high < 0) return "harms";
  return "unclear";
}

/** GET /api/effects/roi */
export type CsRoi = Schema<"CsRoi">;
export type RoiLine = Schema<"RoiLine">;

/** CS ROI per team and CSM: ARR saved and expanded against save-campaign cost. */
export function useCsRoi() {
  return useQuery({
    queryKey: ["effects", "roi"],
    queryFn: () => apiFetch<CsRoi>("/api/effects/roi"),
  });
}
