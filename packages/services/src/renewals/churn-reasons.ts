import { TenureError } from "@tenure/core";
import type { ChurnReason, Storage } from "@tenure/storage";

/**
 * The starter taxonomy (seed 000: "需求未满足" is the largest reason, and about 40% of churn is
 * manageable). Manageable: the team could have prevented it by its own work; a workspace edits the
 * list, the labels and the flags.
 */
export const DEFAULT_CHURN_REASONS: readonly ChurnReason[] = [
  ["needs_not_met", "Needs not met", "需求未满足", true],
  ["poor_adoption", "Poor adoption / onboarding", "使用/上线不足", true],
  ["product_stability", "Product stability", "产品稳定性", true],
  ["support_experience", "Support experience", "服务体验", true],
  ["champion_left", "Champion left", "关键联系人离职", false],
  ["product_gap", "Missing feature", "缺少功能", false],
  ["price", "Price", "价格", false],
  ["budget", "Budget cut", "预算削减", false],
  ["competitor", "Moved to a competitor", "转向竞品", false],
  ["business_closed", "Business closed", "业务关闭", false],
  ["acquired", "Acquired / merged", "被收购/合并", false],
  ["other", "Other", "其他", false],
].map(([key, labelEn, labelZh, manageable], position) => ({
  key: key as string,
  labelEn: labelEn as string,
  labelZh: labelZh as string,
  manageable: manageable as boolean,
  position,
  active: true,
}));

/** The workspace's churn-reason taxonomy: its own once saved, else the starter one. */
export async function churnReasons(storage: Storage, ws: string): Promise<ChurnReason[]> {
  const own = await storage.renewals.listReasons(ws);
  return own.length > 0 ? own : DEFAULT_CHURN_REASONS.map((r) => ({ ...r }));
}

const KEY = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * Saves the workspace's taxonomy (the whole list, in order). Keys are lower-case slugs, unique; a
 * reason already used by an outcome cannot be dropped (deactivate it instead). The first save also
 * stores the starter reasons it does not mention, as inactive, so recorded outcomes keep their labels.
 */
export async function saveChurnReasons(
  storage: Storage,
  ws: string,
  reasons: readonly Omit<ChurnReason, "position">[],
): Promise<ChurnReason[]> {
  if (reasons.length === 0) throw new TenureError("validation", "reasons: give at least one reason");
  const seen = new Set<string>();
  reasons.forEach((r, i) => {
    if (!KEY.test(r.key))
      throw new TenureError(
        "validation",
        `reasons[${i}].key: "${r.key}" must be lower-case letters, digits and _ (e.g. needs_not_met)`,
      );
    if (seen.has(r.key)) throw new TenureError("validation", `reasons[${i}].key: "${r.key}" is listed twice`);
    seen.add(r.key);
    if (r.labelEn.trim() === "")
      throw new TenureError("validation", `reasons[${i}].labelEn: must not be empty`);
    if (r.labelZh.trim() === "")
      throw new TenureError("validation", `reasons[${i}].labelZh: must not be empty`);
  });
  const current = await churnReasons(storage, ws);
  const kept = current
    .filter((r) => !seen.has(r.key))
    .map((r, i) => ({ ...r, active: false, position: reasons.length + i }));
  const next = [...reasons.map((r, position) => ({ ...r, position })), ...kept];
  await storage.renewals.upsertReasons(ws, next);
  return churnReasons(storage, ws);
}
