import type { MonthMetrics } from "@tenure/core";
import { TenureError } from "@tenure/core";
import type { RevenueQuery, RevenueService } from "./revenue-service";

export type ReportKind =
  | "mrr"
  | "movements"
  | "retention"
  | "cohorts"
  | "unit-economics"
  | "bundles"
  | "whatif";
export const REPORT_KINDS: readonly ReportKind[] = [
  "mrr",
  "movements",
  "retention",
  "cohorts",
  "unit-economics",
  "bundles",
  "whatif",
];

/** A printable table: the CLI renders it, the JSON form is for machines. */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

export interface ReportOutput {
  json: Record<string, unknown>;
  tables: ReportTable[];
}

/** Rounds money to cents; keeps -0 out of the output. */
export const money = (n: number): number => {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? 0 : r;
};
/** Rounds a ratio to 4 decimals, passing null through. */
export const ratio = (n: number | null): number | null =>
  n === null ? null : Math.round(n * 10_000) / 10_000;
const pct = (n: number | null): string | null => (n === null ? null : `${(n * 100).toFixed(1)}%`);

/** `report mrr` rows: the exact shape documented in docs/reports.md. */
export function mrrRows(metrics: MonthMetrics[]) {
  return metrics.map((m) => ({
    month: m.month,
    mrr: money(m.mrr),
    customers: m.customers,
    new: money(m.new),
    expansion: money(m.expansion),
    contraction: money(m.contraction),
    churn: money(m.churn),
    reactivation: money(m.reactivation),
  }));
}

/** Runs one revenue report and returns both its JSON and its readable tables. */
export async function runReport(
  service: RevenueService,
  kind: string,
  q: RevenueQuery & { rates?: number[]; months?: number },
): Promise<ReportOutput> {
  const currency = service.currency;
  switch (kind) {
    case "mrr": {
      const months = mrrRows(await service.metrics(q));
      return {
        json: { currency, months },
        tables: [
          {
            title: `MRR by month (${currency})`,
            columns: [
              "month",
              "mrr",
              "customers",
              "new",
              "expansion",
              "contraction",
              "churn",
              "reactivation",
            ],
            rows: months.map((m) => [
              m.month,
              m.mrr,
              m.customers,
              m.new,
              m.expansion,
              m.contraction,
              m.churn,
              m.reactivation,
            ]),
          },
        ],
      };
    }
    case "movements": {
      const movements = await service.movements(q, money);
      return {
        json: { currency, movements },
        tables: [
          {
            title: `MRR movements per account (${currency})`,
            columns: ["month", "account", "name", "kind", "amount", "mrr before", "mrr after"],
            rows: movements.map((m) => [
              m.month,
              m.accountId,
              m.accountName,
              m.kind,
              m.amount,
              m.mrrBefore,
              m.mrrAfter,
            ]),
          },
        ],
      };
    }
    case "retention": {
      const months = (await service.metrics(q)).map((m) => ({
        month: m.month,
        mrr: money(m.mrr),
        arr: money(m.arr),
        customers: m.customers,
        arpa: m.arpa === null ? null : money(m.arpa),
        logoChurnRate: ratio(m.logoChurnRate),
        grossMrrChurnRate: ratio(m.grossMrrChurnRate),
        netMrrChurnRate: ratio(m.netMrrChurnRate),
        ndr: ratio(m.ndr),
        grr: ratio(m.grr),
        quickRatio: ratio(m.quickRatio),
      }));
      return {
        json: { currency, months },
        tables: [
          {
            title: `Retention and churn by month (${currency})`,
            columns: [
              "month",
              "mrr",
              "customers",
              "arpa",
              "logo churn",
              "gross mrr churn",
              "net mrr churn",
              "ndr",
              "grr",
              "quick ratio",
            ],
            rows: months.map((m) => [
              m.month,
              m.mrr,
              m.customers,
              m.arpa,
              pct(m.logoChurnRate),
              pct(m.grossMrrChurnRate),
              pct(m.netMrrChurnRate),
              pct(m.ndr),
              pct(m.grr),
              m.quickRatio,
            ]),
          },
        ],
      };
    }
    case "cohorts": {
      const table = await service.cohorts(q);
      const cohorts = table.cohorts.map((c) => ({
        cohort: c.cohort,
        size: c.size,
        startMrr: money(c.startMrr),
        logo: c.logo.map(ratio),
        revenue: c.revenue.map(ratio),
      }));
      const ages = Array.from({ length: Math.min(table.maxAge + 1, 13) }, (_, i) => `m${i}`);
      return {
        json: { currency, maxAge: table.maxAge, cohorts },
        tables: [
          {
            title: "Logo retention by start-month cohort (first 12 months)",
            columns: ["cohort", "size", ...ages],
            rows: cohorts.map((c) => [c.cohort, c.size, ...ages.map((_, i) => pct(c.logo[i] ?? null))]),
          },
          {
            title: "Revenue retention by start-month cohort (first 12 months)",
            columns: ["cohort", "start mrr", ...ages],
            rows: cohorts.map((c) => [
              c.cohort,
              c.startMrr,
              ...ages.map((_, i) => pct(c.revenue[i] ?? null)),
            ]),
          },
        ],
      };
    }
    case "unit-economics": {
      const ue = await service.unitEconomics(q);
      const row = (c: typeof ue.overall) => ({
        channel: c.channel,
        spend: money(c.spend),
        newCustomers: c.newCustomers,
        cac: c.cac === null ? null : money(c.cac),
        arpaNew: c.arpaNew === null ? null : money(c.arpaNew),
        logoChurnRate: ratio(c.logoChurnRate),
        ltv: c.ltv === null ? null : money(c.ltv),
        ltvToCac: ratio(c.ltvToCac),
        paybackMonths: c.paybackMonths === null ? null : Math.round(c.paybackMonths * 10) / 10,
      });
      const channels = ue.channels.map(row);
      const overall = row(ue.overall);
      return {
        json: {
          currency,
          from: ue.from,
          to: ue.to,
          grossMargin: ue.grossMargin,
          arpa: ue.arpa === null ? null : money(ue.arpa),
          logoChurnRate: ratio(ue.logoChurnRate),
          ltv: ue.ltv === null ? null : money(ue.ltv),
          overall,
          channels,
        },
        tables: [
          {
            title: `Unit economics ${ue.from} to ${ue.to} (${currency}, gross margin ${ue.grossMargin})`,
            columns: [
              "channel",
              "spend",
              "new",
              "CAC",
              "ARPA new",
              "churn/mo",
              "LTV",
              "LTV/CAC",
              "payback (mo)",
            ],
            rows: [...channels, overall].map((c) => [
              c.channel,
              c.spend,
              c.newCustomers,
              c.cac,
              c.arpaNew,
              pct(c.logoChurnRate),
              c.ltv,
              c.ltvToCac,
              c.paybackMonths,
            ]),
          },
        ],
      };
    }
    case "bundles": {
      const bundles = (await service.bundles(q)).map((b) => ({
        ...b,
        retention12: ratio(b.retention12),
        avgLifetimeMonths: Math.round(b.avgLifetimeMonths * 10) / 10,
        arpa: b.arpa === null ? null : money(b.arpa),
        logoChurnRate: ratio(b.logoChurnRate),
        ltv: b.ltv === null ? null : money(b.ltv),
        ltvMultiple: b.ltvMultiple === null ? null : Math.round(b.ltvMultiple * 100) / 100,
      }));
      return {
        json: { currency, bundles },
        tables: [
          {
            title: `Product bundles (${currency})`,
            columns: [
              "bundle",
              "accounts",
              "active",
              "12-mo retention",
              "avg months",
              "ARPA",
              "churn/mo",
              "LTV",
              "× single",
            ],
            rows: bundles.map((b) => [
              b.bundle,
              b.accounts,
              b.activeAccounts,
              pct(b.retention12),
              b.avgLifetimeMonths,
              b.arpa,
              pct(b.logoChurnRate),
              b.ltv,
              b.ltvMultiple,
            ]),
          },
        ],
      };
    }
    case "whatif": {
      const w = await service.whatIf(q);
      const scenarios = w.scenarios.map((s) => ({
        rate: s.rate,
        points: s.points.map((p) => ({ month: p.month, mrr: money(p.mrr) })),
      }));
      const months = scenarios[0]?.points.map((p) => p.month) ?? [];
      return {
        json: { currency, startMonth: w.startMonth, startMrr: money(w.startMrr), scenarios },
        tables: [
          {
            title: `MRR what-if from ${w.startMonth} (${money(w.startMrr)} ${currency})`,
            columns: [
              "month",
              ...scenarios.map((s) => `${s.rate >= 0 ? "+" : ""}${(s.rate * 100).toFixed(1)}%/mo`),
            ],
            rows: months.map((month, i) => [month, ...scenarios.map((s) => s.points[i]?.mrr ?? null)]),
          },
        ],
      };
    }
    default:
      throw new TenureError(
        "validation",
        `Unknown report "${kind}". Choose one of: ${REPORT_KINDS.join(", ")}`,
      );
  }
}
