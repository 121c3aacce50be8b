import {
  CORE_MESSAGES,
  lookupTemplate,
  type MessageCatalog,
  REASON_MESSAGES_EN,
  REASON_MESSAGES_ZH,
  renderCoreMessage,
  renderMessage,
  type TextLocale,
  type TextMessage,
} from "@tenure/core";

/**
 * The columns of each exported table, in the reader's language. Each table is read from the JSON route the
 * web app shows it from, so the export and the screen never disagree.
 */

export type ExportCell = string | number | null;
export type ExportFormat = "text" | "currency" | "percent" | "date" | "number" | "integer";

export interface ExportColumn {
  header: Readonly<Record<TextLocale, string>>;
  format: ExportFormat;
  width: number;
  value: (row: Record<string, unknown>, locale: TextLocale) => ExportCell;
}

export interface ExportTable {
  /** Sheet name and file name stem per language. */
  title: Readonly<Record<TextLocale, string>>;
  columns: readonly ExportColumn[];
}

export const EXPORT_TABLES = ["accounts", "worklist", "movements", "renewals", "predictions"] as const;
export type ExportTableName = (typeof EXPORT_TABLES)[number];

const LABELS: Readonly<Record<TextLocale, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  en: {
    band: { red: "At risk", yellow: "Watch", green: "Healthy", none: "No score" },
    trend: { up: "Improving", down: "Declining", same: "Stable" },
    stage: {
      onboarding: "Onboarding",
      adoption: "Adoption",
      retention: "Retention",
      expansion: "Expansion",
      advocacy: "Advocacy",
      churned: "Churned",
    },
    tier: { smb: "SMB", "mid-market": "Mid-market", enterprise: "Enterprise" },
    source: { model: "Churn model", history: "Segment history", none: "No estimate" },
  },
  "zh-CN": {
    band: { red: "有风险", yellow: "需关注", green: "健康", none: "无评分" },
    trend: { up: "上升", down: "下降", same: "持平" },
    stage: {
      onboarding: "上线",
      adoption: "采用",
      retention: "留存",
      expansion: "扩展",
      advocacy: "推荐",
      churned: "已流失",
    },
    tier: { smb: "小微企业", "mid-market": "中型企业", enterprise: "大型企业" },
    source: { model: "流失模型", history: "细分历史", none: "无估计" },
    // The demo's industries, named as the web app names them; any other industry is data, written as stored.
    industry: {
      Retail: "零售",
      Finance: "金融",
      Healthcare: "医疗",
      Manufacturing: "制造",
      Education: "教育",
      Media: "媒体",
      Logistics: "物流",
      "Professional Services": "专业服务",
      Travel: "旅游",
    },
  },
};

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
/** A code shown as its name in the reader's language (unknown codes as written). */
const label =
  (kind: string, field: string) =>
  (row: Record<string, unknown>, locale: TextLocale): ExportCell => {
    const code = str(row[field]);
    return code === null ? null : (LABELS[locale][kind]?.[code] ?? code);
  };
const text = (field: string) => (row: Record<string, unknown>) => str(row[field]);
const number = (field: string) => (row: Record<string, unknown>) => num(row[field]);

/** The churn model's reason templates under the key the API gives them (`predictions.reason.*`). */
const MODEL_REASONS: Readonly<Record<TextLocale, MessageCatalog>> = {
  en: { predictions: { reason: { ...REASON_MESSAGES_EN } } },
  "zh-CN": { predictions: { reason: { ...REASON_MESSAGES_ZH } } },
};

/** Parameters the web app shows with their sign ("+12"), as the model's reasons write them. */
const SIGNED = new Set(["change", "delta"]);

/**
 * A reason in the reader's language: the churn model's from its templates, health and signal reasons from the
 * engine's catalogue; anything else as the English text the API sends with it.
 */
export function exportReasonText(m: TextMessage & { text?: string }, locale: TextLocale): string {
  if (m.key.startsWith("predictions.reason.")) {
    const params = Object.fromEntries(
      Object.entries(m.params).map(([k, v]) => [
        k,
        SIGNED.has(k) && typeof v === "number" && v > 0 ? `+${v}` : v,
      ]),
    );
    return renderMessage(MODEL_REASONS, locale, { key: m.key, params });
  }
  const known = lookupTemplate(CORE_MESSAGES.en, m.key) ?? lookupTemplate(CORE_MESSAGES.en, `${m.key}_other`);
  return known !== undefined || m.text === undefined ? renderCoreMessage(locale, m) : m.text;
}

const col = (
  en: string,
  zh: string,
  format: ExportFormat,
  value: ExportColumn["value"],
  width = format === "text" ? 18 : 14,
): ExportColumn => ({ header: { en, "zh-CN": zh }, format, width, value });

const ACCOUNT_COLUMNS: readonly ExportColumn[] = [
  col("Account ID", "客户 ID", "text", text("id"), 12),
  col("Account", "客户", "text", text("name"), 28),
  col("Tier", "客户层级", "text", label("tier", "tier")),
  col("Industry", "行业", "text", label("industry", "industry")),
  col("Region", "地区", "text", text("region"), 10),
  col("Owner", "负责人", "text", text("owner")),
  col("Lifecycle stage", "生命周期阶段", "text", label("stage", "lifecycleStage")),
  col("MRR", "MRR", "currency", number("mrr")),
  col("ARR", "ARR", "currency", number("arr")),
  col("Health score", "健康分", "number", number("score")),
  col("Health", "健康等级", "text", label("band", "band"), 10),
  col("Health trend", "健康趋势", "text", label("trend", "trend"), 10),
  col("Churn probability (90 days)", "流失概率（90 天）", "percent", number("churnProbability")),
  col("Renewal date", "续约日期", "date", text("renewalDate")),
  col("Open signals", "未处理信号", "integer", number("openSignals")),
  col("Risk signals", "风险信号", "integer", number("riskSignals")),
  col("Opportunity signals", "机会信号", "integer", number("opportunitySignals")),
  col("Last activity", "最近活动", "date", text("lastActivityAt")),
];

export const EXPORT_TABLE_SPECS: Readonly<Record<ExportTableName, ExportTable>> = {
  accounts: { title: { en: "Accounts", "zh-CN": "客户" }, columns: ACCOUNT_COLUMNS },
  worklist: {
    title: { en: "Worklist", "zh-CN": "工作清单" },
    columns: [
      col("Priority", "优先级", "currency", number("priority")),
      ...ACCOUNT_COLUMNS,
      col(
        "Why",
        "原因",
        "text",
        (row, locale) =>
          Array.isArray(row.reasons)
            ? (row.reasons as (TextMessage & { text?: string })[])
                .map((m) => exportReasonText(m, locale))
                .join(" · ")
            : null,
        48,
      ),
    ],
  },
  movements: {
    title: { en: "MRR movements", "zh-CN": "MRR 变动" },
    columns: [
      col("Month", "月份", "text", text("month"), 10),
      col("New", "新增", "currency", number("new")),
      col("Expansion", "扩展", "currency", number("expansion")),
      col("Contraction", "收缩", "currency", number("contraction")),
      col("Churn", "流失", "currency", number("churn")),
      col("Reactivation", "复活", "currency", number("reactivation")),
      col("Net movement", "净变动", "currency", number("netMovement")),
      col("MRR", "MRR", "currency", number("mrr")),
      col("Customers", "客户数", "integer", number("customers")),
      col("New customers", "新客户", "integer", number("newCustomers")),
      col("Churned customers", "流失客户", "integer", number("churnedCustomers")),
      col("Logo churn rate", "客户流失率", "percent", number("logoChurnRate")),
      col("NDR", "净收入留存率", "percent", number("ndr")),
      col("GRR", "总收入留存率", "percent", number("grr")),
    ],
  },
  renewals: {
    title: { en: "Renewals", "zh-CN": "续约" },
    columns: [
      col("Account ID", "客户 ID", "text", text("accountId"), 12),
      col("Account", "客户", "text", text("name"), 28),
      col("Renewal date", "续约日期", "date", text("renewalDate")),
      col("Segment", "细分", "text", label("tier", "segment")),
      col("ARR", "ARR", "currency", number("arr")),
      col("Renewal probability", "续约概率", "percent", number("renewalProbability")),
      col("Expected ARR", "预期 ARR", "currency", number("expectedArr")),
      col("Churn probability (90 days)", "流失概率（90 天）", "percent", number("churnProbability")),
      col("Segment's renewal rate", "细分历史续约率", "percent", number("historicalRate")),
      col("Source", "来源", "text", label("source", "source")),
    ],
  },
  predictions: {
    title: { en: "Churn predictions", "zh-CN": "流失预测" },
    columns: [
      col("Account ID", "客户 ID", "text", text("accountId"), 12),
      col("Account", "客户", "text", text("name"), 28),
      col("Churn probability (90 days)", "流失概率（90 天）", "percent", number("probability")),
      col("Scored at", "评分时间", "date", (row) => str(row.createdAt)?.slice(0, 10) ?? null),
    ],
  },
};
