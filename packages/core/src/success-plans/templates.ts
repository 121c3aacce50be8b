/**
 * Built-in success-plan and onboarding templates (seed 000: GPCT — goals, plans, challenges,
 * timeline; seed 002: onboarding checklists with a progress bar). Text in English and Chinese.
 */

/** Text in both languages of the product. */
export interface LocalText {
  en: string;
  zh: string;
}

/** Metrics a goal can track, read from Tenure's own data as playbooks read theirs (the same reader). */
export const GOAL_METRICS = ["active_users", "health_score", "mrr", "nps"] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** True when `m` is a goal metric Tenure can read. */
export function isGoalMetric(m: string): m is GoalMetric {
  return (GOAL_METRICS as readonly string[]).includes(m);
}

export interface GoalTemplate {
  title: LocalText;
  /** Null: a business goal Tenure cannot measure (the CSM updates it by hand). */
  metric: GoalMetric | null;
  /** Target relative to the start (0.2 = +20%), a change from it, or absolute; null: set by the CSM. */
  target: { relative: number } | { delta: number } | { absolute: number } | null;
  dueDays: number;
}

export interface MilestoneTemplate {
  title: LocalText;
  /** Days after the plan's start. */
  dueDays: number;
  /** Reaching it is the customer's first value (time to first value ends here). */
  valueMilestone?: boolean;
}

export type PlanKind = "success" | "onboarding";

export interface PlanTemplate {
  key: string;
  kind: PlanKind;
  title: LocalText;
  description: LocalText;
  goals: readonly GoalTemplate[];
  milestones: readonly MilestoneTemplate[];
  challenges: readonly LocalText[];
}

const t = (en: string, zh: string): LocalText => ({ en, zh });

/** The starter templates. Keys are stable: stored plans name the template they came from. */
export const PLAN_TEMPLATES: readonly PlanTemplate[] = [
  {
    key: "onboarding-tech-touch",
    kind: "onboarding",
    title: t("First 30 days (tech-touch)", "签约后 30 天上手(低接触)"),
    description: t(
      "A light checklist for small accounts in their first weeks after signing.",
      "小客户签约后前几周的轻量上手清单。",
    ),
    goals: [
      {
        title: t("Active users reach the team size", "活跃用户达到团队规模"),
        metric: "active_users",
        target: { absolute: 5 },
        dueDays: 30,
      },
    ],
    milestones: [
      { title: t("Welcome email and admin account set up", "发送欢迎邮件,开通管理员账号"), dueDays: 1 },
      { title: t("Data source connected", "接入数据源"), dueDays: 5 },
      {
        title: t("First report built and shared", "搭建并分享第一张报表"),
        dueDays: 10,
        valueMilestone: true,
      },
      { title: t("Three or more colleagues invited", "邀请三位及以上同事"), dueDays: 14 },
      { title: t("Day-30 check-in: usage reviewed", "第 30 天回访:复盘使用情况"), dueDays: 30 },
    ],
    challenges: [
      t("No internal owner named", "客户内部没有明确负责人"),
      t("Data not yet connected", "数据尚未接入"),
    ],
  },
  {
    key: "onboarding-high-touch",
    kind: "onboarding",
    title: t("Enterprise onboarding (high-touch)", "大客户实施上手(高接触)"),
    description: t(
      "Kick-off to go-live for a large account, with a named champion and an agreed first value.",
      "大客户从启动会到上线:明确关键联系人,约定首个价值点。",
    ),
    goals: [
      {
        title: t("Department-wide adoption", "部门级全面使用"),
        metric: "active_users",
        target: { absolute: 25 },
        dueDays: 60,
      },
      {
        title: t("Health score in the green band", "健康分进入绿色区间"),
        metric: "health_score",
        target: { absolute: 70 },
        dueDays: 90,
      },
    ],
    milestones: [
      { title: t("Kick-off meeting; success criteria agreed", "启动会:约定成功标准"), dueDays: 3 },
      { title: t("Champion and executive sponsor named", "确定关键联系人与高层支持者"), dueDays: 7 },
      { title: t("Integration live in production", "生产环境集成上线"), dueDays: 21 },
      { title: t("First business outcome delivered", "交付首个业务成果"), dueDays: 30, valueMilestone: true },
      { title: t("Admin training completed", "完成管理员培训"), dueDays: 35 },
      { title: t("Onboarding review with the sponsor", "与高层支持者复盘上手阶段"), dueDays: 60 },
    ],
    challenges: [
      t("Several departments with different needs", "多个部门需求不一"),
      t("IT security review before integration", "集成前需通过 IT 安全评审"),
    ],
  },
  {
    key: "success-plan-gpct",
    kind: "success",
    title: t("Success plan (GPCT)", "客户成功计划(GPCT)"),
    description: t(
      "Goals, plans, challenges and timeline, built around the customer's business goals rather than features (seed 000).",
      "目标、计划、挑战、时间:围绕客户的业务目标而非功能需求。",
    ),
    goals: [
      {
        title: t("Grow active users by 20%", "活跃用户提升 20%"),
        metric: "active_users",
        target: { relative: 0.2 },
        dueDays: 90,
      },
      {
        title: t("Raise the health score by 10 points", "健康分提升 10 分"),
        metric: "health_score",
        target: { delta: 10 },
        dueDays: 90,
      },
      {
        title: t("The customer's own business goal", "客户自身的业务目标"),
        metric: null,
        target: null,
        dueDays: 180,
      },
    ],
    milestones: [
      { title: t("Goals confirmed with the executive sponsor", "与高层支持者确认目标"), dueDays: 7 },
      { title: t("Adoption plan per department", "分部门制定使用计划"), dueDays: 21 },
      { title: t("Mid-point review", "中期复盘"), dueDays: 45 },
      {
        title: t("Quarterly business review: results against goals", "季度业务回顾:对照目标看结果"),
        dueDays: 90,
      },
    ],
    challenges: [
      t("Budget pressure at renewal", "续约时预算压力"),
      t("Champion may change role", "关键联系人可能调岗"),
    ],
  },
];

/** The template with that key, or undefined. */
export function findPlanTemplate(key: string): PlanTemplate | undefined {
  return PLAN_TEMPLATES.find((p) => p.key === key);
}

/** A goal's target from its template and start value (null when the template leaves it to the CSM). */
export function templateTarget(goal: GoalTemplate, start: number | null): number | null {
  if (goal.target === null) return null;
  if ("absolute" in goal.target) return goal.target.absolute;
  if (start === null) return null;
  if ("delta" in goal.target) return Math.round((start + goal.target.delta) * 100) / 100;
  const raw = start * (1 + goal.target.relative);
  return Math.round(raw * 100) / 100;
}
