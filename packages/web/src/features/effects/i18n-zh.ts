import type { effectsEn } from "./i18n-en";

/** 效果报告的简体中文文案（在 zh-cn.ts 中合并为 `effects`）。 */
export const effectsZh: typeof effectsEn = {
  title: "有效果吗？",
  subtitle:
    "每个剧本对其目标指标的效果：处理组账户的变化减去对照组的变化，并按各账户的起点做调整（CUPED），附 95% 置信区间。",
  chartTitle: "各剧本及版本的效果与 95% 区间",
  chartSubtitle: "以对照组在窗口结束时均值的百分比表示。灰色：区间包含 0。",
  axis: "相对对照组的效果",
  effect: "效果",
  interval: "95% 区间",
  noEstimates: "还没有剧本积累足够的已测量运行和对照，无法给出估计。",
  empty: "还没有剧本运行。运行会在窗口结束时测量；可从账户页面或自动化启动。",
  table: {
    playbook: "剧本",
    version: "版本",
    metric: "指标",
    runs: "运行数",
    effect: "效果",
    interval: "95% 区间",
    pValue: "p 值",
    n: "处理组 / 对照组",
    control: "对照",
    verdict: "解读",
  },
  control: {
    holdout: "保留组",
    matched: "匹配（{{count}} 个账户，{{runs}} 次运行）",
  },
  verdict: {
    works: "有效",
    harms: "有害",
    unclear: "与 0 无法区分",
    none: "无估计",
  },
  version: "v{{version}}",
  metric: {
    active_users: "活跃用户（28 天）",
    health_score: "健康分",
    feature_weekly_use: "{{feature}} 的周使用次数",
    mrr: "MRR",
    nps: "NPS",
  },
  window: "{{days}} 天窗口",
  success: {
    title: "各剧本成功率",
    subtitle: "指标按剧本期望方向变化的已测量运行，以及所有步骤均已完成的运行。",
    runs: "运行数",
    measured: "已测量",
    succeeded: "成功",
    rate: "成功率",
    completed: "已完成",
  },
  method:
    "对照组：剧本的自动化留出未处理的保留组账户（至少 2 个时）；否则为同一周内触发了相同信号、但未运行该剧本，且细分、健康分档和 ARR 档位相同的账户。详见 docs/effects.md。",
};
