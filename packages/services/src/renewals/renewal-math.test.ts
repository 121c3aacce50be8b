import type { ChurnReason, RenewalOutcome, SaveCampaign } from "@tenure/storage";
import { describe, expect, it } from "vitest";
import { analyzeChurnReasons } from "./churn-analysis";
import { saveCampaignResult } from "./save-campaigns";

const reason = (key: string, manageable: boolean, position: number): ChurnReason => ({
  key,
  labelEn: key,
  labelZh: key,
  manageable,
  position,
  active: true,
});
let n = 0;
const outcome = (
  accountId: string,
  o: RenewalOutcome["outcome"],
  arrBefore: number,
  arrAfter: number,
  reasonKey: string | null,
  renewalDate = "2026-03-01",
): RenewalOutcome => ({
  id: String(++n),
  accountId,
  renewalDate,
  outcome: o,
  arrBefore,
  arrAfter,
  reasonKey,
  note: null,
  recordedBy: null,
  recordedAt: "2026-03-01T00:00:00Z",
});

describe("churn-reason analysis", () => {
  it("should count churns and lost ARR by reason, with the manageable share over churns that have a reason", () => {
    const a = analyzeChurnReasons(
      [
        outcome("a", "churned", 100, 0, "needs"),
        outcome("b", "churned", 300, 0, "needs"),
        outcome("c", "churned", 600, 0, "budget"),
        outcome("d", "churned", 50, 0, null),
        outcome("e", "renewed", 999, 999, null),
        outcome("f", "downgraded", 100, 60, "budget"),
      ],
      [reason("needs", true, 0), reason("budget", false, 1)],
    );
    expect(a).toMatchObject({
      churned: 4,
      lostArr: 1050,
      unspecified: 1,
      manageableCount: 2,
      manageableLostArr: 400,
      manageableShare: 2 / 3,
      manageableArrShare: 0.4,
    });
    expect(a.reasons.map((r) => [r.key, r.count, r.lostArr])).toEqual([
      ["needs", 2, 400],
      ["budget", 1, 600],
      ["unspecified", 1, 50],
    ]);
  });
});

describe("save campaign ROI", () => {
  it("should count the at-risk ARR kept at each worked account's first outcome after the start, over the cost", () => {
    const c: SaveCampaign = {
      id: "c",
      name: "saves",
      startedOn: "2026-02-01",
      endedOn: null,
      cost: 1000,
      note: null,
      createdAt: "",
      accounts: [
        { accountId: "a", atRiskArr: 1200 },
        { accountId: "b", atRiskArr: 800 },
        { accountId: "c", atRiskArr: 500 },
        { accountId: "d", atRiskArr: 400 },
      ],
    };
    const r = saveCampaignResult(c, [
      outcome("a", "expanded", 1200, 2000, null), // keeps its 1,200 at risk, not the expansion
      outcome("b", "downgraded", 800, 600, "budget"),
      outcome("c", "churned", 500, 0, "needs"),
      outcome("d", "renewed", 400, 400, null, "2026-01-15"), // before the start: still open
    ]);
    expect(r).toMatchObject({
      atRiskArrWorked: 2900,
      saved: 2,
      arrSaved: 1800,
      churned: 1,
      arrLost: 500,
      open: 1,
    });
    expect(r.roi).toBeCloseTo(1.8, 12);
    expect(r.saveRate).toBeCloseTo(1800 / 2900, 12);
  });
});
