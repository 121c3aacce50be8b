import type { LocalizedText, PlaybookDefinition, PlaybookStep, StepAction, StepOwner } from "./types";

/**
 * The starter library (issue 15 point 2), drawn from the seeds: seed 004's solution library (the
 * few-users churn SOP, the quota-pace expansion, breadth collapse), seed 000's save campaign, QBRs for
 * large accounts, light SOPs for small ones in their first weeks, and seed 000b's 3-day follow-up.
 * Installed into every workspace; each is the team's to edit (an edit makes version 2).
 */

const t = (en: string, zh: string): LocalizedText => ({ en, "zh-CN": zh });
const OWNER: StepOwner = { kind: "account_owner" };
const POOL: StepOwner = { kind: "team_pool" };
const role = (r: string): StepOwner => ({ kind: "role", role: r });

function step(
  dueOffsetDays: number,
  title: LocalizedText,
  instructions: LocalizedText,
  owner: StepOwner = OWNER,
  action: StepAction | null = null,
): PlaybookStep {
  return { title, instructions, owner, dueOffsetDays, action };
}

/** A starter playbook: its key and its first version. */
export interface StarterPlaybook {
  key: string;
  definition: PlaybookDefinition;
}

export const STARTER_PLAYBOOKS: readonly StarterPlaybook[] = [
  {
    key: "onboarding-first-30-days",
    definition: {
      name: t("First 30 days onboarding (tech-touch)", "新客户前 30 天上手（技术触达）"),
      description: t(
        "A light, mostly automated SOP for small accounts in their first weeks after signing: first login, first value, first habit.",
        "面向小客户签约后前几周的轻量、以自动化为主的 SOP：首次登录、首次获得价值、形成使用习惯。",
      ),
      signalTypes: [],
      audience: { stage: "onboarding" },
      steps: [
        step(
          0,
          t("Send the welcome email", "发送欢迎邮件"),
          t(
            "Welcome the admin, link the **getting-started guide** and the three setup steps.",
            "欢迎管理员，附上**入门指南**链接和三个配置步骤。",
          ),
          POOL,
          { type: "email", template: "onboarding-welcome" },
        ),
        step(
          3,
          t("3-day follow-up: has anyone logged in?", "3 天跟进：是否已有人登录？"),
          t(
            "Check active users. If nobody has logged in, message the admin and offer a 15-minute setup call.",
            "查看活跃用户。若无人登录，联系管理员并提供 15 分钟的配置通话。",
          ),
          POOL,
        ),
        step(
          7,
          t("Confirm the first value milestone", "确认首个价值里程碑"),
          t(
            "The account should have data flowing and one report in use. If not, find the blocker and note it.",
            "客户应已接入数据并在使用至少一个报表。若没有，找出阻碍并记录。",
          ),
          POOL,
        ),
        step(
          14,
          t("Invite users to the training webinar", "邀请用户参加培训直播"),
          t("Invite every active user to the next group training.", "邀请所有活跃用户参加下一场集体培训。"),
          POOL,
        ),
        step(
          30,
          t("30-day check-in and hand-over to adoption", "30 天回访并转入使用推广阶段"),
          t(
            "Review usage with the admin; move the account to **adoption** when the milestones are met.",
            "与管理员一起回顾使用情况；达成里程碑后将客户转入**使用推广**阶段。",
          ),
          POOL,
          { type: "stage", stage: "adoption" },
        ),
      ],
      metric: { kind: "active_users" },
      goal: "increase",
      windowDays: 30,
    },
  },
  {
    key: "low-adoption-rescue",
    definition: {
      name: t("Low-adoption rescue", "低使用率挽救"),
      description: t(
        "Few users left and usage falling: the churn-risk SOP of seed 004. Judge it by whether the number of active users rises.",
        "使用人数少、使用量下降：种子文章 004 中的流失风险 SOP。以活跃用户数是否回升来评判。",
      ),
      signalTypes: ["usage_drop", "no_login"],
      audience: {},
      steps: [
        step(
          0,
          t("Read the usage story", "查看使用情况"),
          t(
            "Open the account's usage card: which departments and users stopped, and when. Note what changed.",
            "打开客户的使用卡片：哪些部门和用户停止使用、何时停止。记录发生了什么变化。",
          ),
        ),
        step(
          2,
          t("Call the champion", "联系关键联系人"),
          t(
            "Ask what is blocking wider use and what the team is trying to achieve this quarter.",
            "询问阻碍更广泛使用的原因，以及团队本季度想要达成的目标。",
          ),
        ),
        step(
          7,
          t("Run a tailored training session", "开展定制培训"),
          t(
            "Train the lapsed users on the two workflows that matter to their goals.",
            "针对流失用户，培训与其目标最相关的两个工作流程。",
          ),
        ),
        step(
          21,
          t("Check that active users are rising", "确认活跃用户在回升"),
          t(
            "Compare active users with the start of the run; escalate if they are still falling.",
            "与开始时对比活跃用户数；若仍在下降则升级处理。",
          ),
        ),
        step(
          28,
          t("Ask the decision maker whether they see the value", "询问决策人是否认可价值"),
          t(
            "A short interview with the key decision maker; record the answer as an observation.",
            "与关键决策人做一次简短访谈，并把回答记录为观察。",
          ),
        ),
      ],
      metric: { kind: "active_users" },
      goal: "increase",
      windowDays: 30,
    },
  },
  {
    key: "breadth-collapse",
    definition: {
      name: t("Breadth collapse / competitor risk", "使用面收缩 / 竞品风险"),
      description: t(
        "Usage shrank from many departments to a couple of people and no new data arrives: they may be moving to another product or building their own (seed 004).",
        "使用从多个部门收缩到少数几个人，且没有新数据进入：客户可能在转用其他产品或自建系统（种子文章 004）。",
      ),
      signalTypes: ["breadth_collapse"],
      audience: {},
      steps: [
        step(
          0,
          t("Talk to the people still using it", "与仍在使用的人沟通"),
          t(
            "They still believe in the product: learn what happened to the other departments.",
            "他们仍认可产品：了解其他部门发生了什么。",
          ),
        ),
        step(
          3,
          t("Find out about a competitor or an in-house build", "了解是否在用竞品或自建"),
          t(
            "Ask directly and record the answer; note any product they name.",
            "直接询问并记录回答；记下客户提到的任何产品。",
          ),
        ),
        step(
          7,
          t("Show the value delivered to other departments", "展示为其他部门带来的价值"),
          t(
            "Prepare a one-page summary of results; share it with the department leads.",
            "准备一页成果总结，分享给各部门负责人。",
          ),
        ),
        step(
          14,
          t("Meet the executive sponsor", "与高层发起人会面"),
          t(
            "Agree on the departments to bring back and a date to review it.",
            "商定要重新启用的部门以及复盘日期。",
          ),
          role("CS lead"),
        ),
      ],
      metric: { kind: "active_users" },
      goal: "increase",
      windowDays: 45,
    },
  },
  {
    key: "champion-left",
    definition: {
      name: t("Champion left", "关键联系人离职"),
      description: t(
        "The person who championed the product left or went silent: rebuild the relationship before the renewal notices.",
        "推动产品的关键联系人离职或失联：在续约前重建关系。",
      ),
      signalTypes: ["champion_left", "champion_silent"],
      audience: {},
      steps: [
        step(
          0,
          t("Confirm the departure and find the successor", "确认离职并找到接任者"),
          t(
            "Ask the admin or another contact who took over the champion's work.",
            "询问管理员或其他联系人是谁接手了该联系人的工作。",
          ),
        ),
        step(
          3,
          t("Introduce yourself to the new champion", "与新的关键联系人建立联系"),
          t(
            "A short call: their goals, what they know of the product, what they need.",
            "简短通话：了解其目标、对产品的了解程度以及需求。",
          ),
        ),
        step(
          7,
          t("Update the contacts and roles", "更新联系人和角色"),
          t(
            "Mark the new champion and decision maker on the account page.",
            "在客户页面标记新的关键联系人和决策人。",
          ),
        ),
        step(
          14,
          t("Recap the value delivered so far", "回顾迄今交付的价值"),
          t(
            "Send the new champion a recap of results and the plan for the next quarter.",
            "向新的关键联系人发送成果回顾和下季度计划。",
          ),
        ),
      ],
      metric: { kind: "health_score" },
      goal: "increase",
      windowDays: 30,
    },
  },
  {
    key: "renewal-prep-90",
    definition: {
      name: t("Renewal preparation at −90 days", "续约前 90 天准备"),
      description: t(
        "Renewal is the guarantee of steady MRR (seed 004): start 90 days out, not in the last week.",
        "续约是 MRR 稳健的保障（种子文章 004）：提前 90 天开始准备，而不是最后一周。",
      ),
      signalTypes: ["renewal_risk", "discount_at_renewal"],
      audience: {},
      steps: [
        step(
          0,
          t("Review health, usage and open risks", "检查健康度、使用情况和未解决风险"),
          t(
            "Read the health breakdown and open signals; list what must be fixed before renewal.",
            "阅读健康度明细和未处理信号；列出续约前必须解决的问题。",
          ),
        ),
        step(
          14,
          t("Prepare the value review", "准备价值回顾"),
          t(
            "Results against the customer's goals, usage trend, what is planned next.",
            "对照客户目标的成果、使用趋势以及下一步计划。",
          ),
        ),
        step(
          30,
          t("Meet the decision maker", "与决策人会面"),
          t(
            "Walk through the value review; ask about budget and the decision process.",
            "讲解价值回顾；了解预算和决策流程。",
          ),
        ),
        step(
          60,
          t("Send the renewal proposal", "发送续约方案"),
          t(
            "Include any expansion the usage justifies; avoid an unplanned discount.",
            "包含使用情况所支持的增购；避免计划外的折扣。",
          ),
        ),
        step(
          76,
          t("Confirm the signature", "确认签约"),
          t(
            "Chase the signature; escalate to the CS lead if it is not signed.",
            "跟进签约；若未签约，升级给客户成功负责人。",
          ),
          role("CS lead"),
        ),
      ],
      metric: { kind: "health_score" },
      goal: "increase",
      windowDays: 90,
    },
  },
  {
    key: "expansion-quota-pace",
    definition: {
      name: t("Expansion on quota pace", "按配额消耗节奏推动增购"),
      description: t(
        "70% of the quota used with six months of contract left and a new stakeholder in the room: the expansion play of seed 004.",
        "合同还剩约 6 个月，配额已消耗 70%，并出现新的业务负责人：种子文章 004 中的增购打法。",
      ),
      signalTypes: ["quota_expansion", "seat_utilisation_high", "new_stakeholder", "new_department"],
      audience: {},
      steps: [
        step(
          0,
          t("Confirm the quota pace", "确认配额消耗节奏"),
          t(
            "Check the usage card's quota pace and the date the quota runs out.",
            "查看使用卡片中的配额节奏和预计耗尽日期。",
          ),
        ),
        step(
          3,
          t("Summarise the value already delivered", "总结已交付的价值"),
          t(
            "What the product did for the other business lines, with numbers.",
            "产品为其他业务线带来的成果，用数字说明。",
          ),
        ),
        step(
          7,
          t("Meet the new stakeholder", "与新的业务负责人会面"),
          t(
            "Present that value and ask whether their line has the same need.",
            "介绍这些价值，并询问其业务线是否有相同需求。",
          ),
        ),
        step(
          21,
          t("Send the expansion proposal", "发送增购方案"),
          t(
            "Size it on the quota pace; hand over to sales if they own the quote.",
            "根据配额消耗节奏确定规模；若报价由销售负责，则移交销售。",
          ),
        ),
      ],
      metric: { kind: "mrr" },
      goal: "increase",
      windowDays: 60,
    },
  },
  {
    key: "qbr-high-touch",
    definition: {
      name: t("Quarterly business review (high-touch)", "季度业务回顾（高接触）"),
      description: t(
        "Large accounts run on a quarterly revenue target and a QBR (seed 000), structured as GPCT: goals, plans, challenges, timeline.",
        "大客户按季度制定收入目标并通过 QBR 管理（种子文章 000），按 GPCT 组织：目标、计划、挑战、时间。",
      ),
      signalTypes: [],
      audience: { tier: "enterprise" },
      steps: [
        step(
          0,
          t("Collect the quarter's data", "收集本季度数据"),
          t(
            "Usage, health trend, tickets, revenue against the quarterly target.",
            "使用情况、健康度趋势、工单、收入与季度目标对比。",
          ),
        ),
        step(
          7,
          t("Draft the GPCT review", "起草 GPCT 回顾"),
          t(
            "**Goals** the customer set, **plans** and their progress, **challenges**, **timeline** for next quarter.",
            "客户设定的**目标**、**计划**及进展、**挑战**、下季度的**时间**安排。",
          ),
        ),
        step(
          14,
          t("Hold the QBR", "召开 QBR 会议"),
          t(
            "With the executive sponsor; agree next quarter's goals and revenue target.",
            "与高层发起人一起；商定下季度目标和收入目标。",
          ),
          role("CS lead"),
        ),
        step(
          21,
          t("Send the follow-up actions", "发送后续行动"),
          t(
            "Owners and dates for every action agreed in the QBR.",
            "为 QBR 中商定的每项行动明确负责人和日期。",
          ),
        ),
      ],
      metric: { kind: "health_score" },
      goal: "increase",
      windowDays: 90,
    },
  },
  {
    key: "save-campaign",
    definition: {
      name: t("Save campaign", "流失挽回行动"),
      description: t(
        "An account at serious risk of churn, worked with product and engineering resources (seed 000: 9 accounts saved, ROI 2.23). Record the cost.",
        "有严重流失风险的客户，投入产研资源挽回（种子文章 000：挽回 9 家客户，ROI 2.23）。请记录投入成本。",
      ),
      signalTypes: ["renewal_risk", "usage_drop", "ticket_spike", "nps_detractor"],
      audience: { band: "red" },
      steps: [
        step(
          0,
          t("Assess the risk and its reason", "评估风险及原因"),
          t(
            "Name the churn reason and whether it is manageable; estimate the ARR at risk.",
            "明确流失原因以及是否可管理；估算面临风险的 ARR。",
          ),
        ),
        step(
          2,
          t("Escalate with an executive sponsor", "由高层发起人升级处理"),
          t("A call between our executive and theirs within the week.", "一周内安排双方高层通话。"),
          role("CS lead"),
        ),
        step(
          7,
          t("Agree a remediation plan", "商定补救计划"),
          t(
            "Product and engineering commitments with dates; share them in writing.",
            "产研团队承诺的事项和日期；以书面形式共享。",
          ),
        ),
        step(
          21,
          t("Weekly check-in on the plan", "每周跟进计划"),
          t(
            "Review progress with the customer; note the hours and cost spent.",
            "与客户回顾进展；记录投入的工时和成本。",
          ),
        ),
        step(
          45,
          t("Record the outcome and cost", "记录结果和成本"),
          t(
            "Saved or not, the ARR kept and what the campaign cost.",
            "是否挽回、保住的 ARR 以及本次行动的成本。",
          ),
        ),
      ],
      metric: { kind: "health_score" },
      goal: "increase",
      windowDays: 60,
    },
  },
  {
    key: "win-back",
    definition: {
      name: t("Win-back after churn", "流失客户召回"),
      description: t(
        "A churned account can come back (reactivation, seed 004). Start a month after the churn, with what has changed.",
        "已流失的客户也可能回来（复活，种子文章 004）。在流失一个月后开始，带上产品的新变化。",
      ),
      signalTypes: [],
      audience: { stage: "churned" },
      steps: [
        step(
          0,
          t("Review why they left", "回顾流失原因"),
          t(
            "Read the churn reason and the last months of the timeline.",
            "阅读流失原因和最近几个月的时间线。",
          ),
        ),
        step(
          30,
          t("Reach out with what has changed", "带着产品变化重新联系"),
          t(
            "Address the reason they left: a fix, a new feature, a better-fitting plan.",
            "针对流失原因：问题修复、新功能或更合适的方案。",
          ),
        ),
        step(
          45,
          t("Offer a trial reactivation", "提供试用恢复"),
          t("Reopen their workspace for a trial with their old data.", "以原有数据重新开放工作区供其试用。"),
        ),
        step(
          60,
          t("Close: won back or not", "结束：是否召回"),
          t(
            "Record the outcome; if they came back, start onboarding again.",
            "记录结果；若客户回归，重新开始上手流程。",
          ),
        ),
      ],
      metric: { kind: "mrr" },
      goal: "increase",
      windowDays: 90,
    },
  },
  {
    key: "referral-ask",
    definition: {
      name: t("Referral ask to promoters", "邀请推荐者转介绍"),
      description: t(
        "Promoters (NPS 9-10) are the start of advocacy: thank them and ask for a referral or a case study.",
        "推荐者（NPS 9-10 分）是客户推荐的起点：表达感谢，并邀请其转介绍或参与案例。",
      ),
      signalTypes: [],
      audience: { stage: "advocacy" },
      steps: [
        step(
          0,
          t("Thank the promoter", "感谢推荐者"),
          t("A personal thank-you for the score and what they wrote.", "就评分和反馈表达个人感谢。"),
        ),
        step(
          3,
          t("Ask for a referral or a case study", "邀请转介绍或参与案例"),
          t(
            "Name one peer company they could introduce, or offer a joint case study.",
            "请其介绍一家同行公司，或邀请共同撰写客户案例。",
          ),
        ),
        step(
          14,
          t("Log the referral", "记录转介绍"),
          t("Record the referred company and introduce it to sales.", "记录被推荐的公司并转给销售。"),
        ),
      ],
      metric: { kind: "nps" },
      goal: "increase",
      windowDays: 60,
    },
  },
];
