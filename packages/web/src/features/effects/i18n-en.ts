/** English strings of the effect report (merged into en.ts as `effects`). */
export const effectsEn = {
  title: "Did it work?",
  subtitle:
    "Each playbook's effect on its metric: the change in treated accounts minus the change in a control group, adjusted for where each account started (CUPED), with a 95% confidence interval.",
  chartTitle: "Effect with its 95% interval, per playbook and version",
  chartSubtitle:
    "In percent of the control group's mean at the end of the window. Grey: the interval includes 0.",
  axis: "Effect vs control",
  effect: "Effect",
  interval: "95% interval",
  noEstimates: "No playbook has enough measured runs and controls for an estimate yet.",
  empty:
    "No playbook runs yet. Runs are measured at the end of their window; start one from an account page or an automation.",
  table: {
    playbook: "Playbook",
    version: "Version",
    metric: "Metric",
    runs: "Runs",
    effect: "Effect",
    interval: "95% interval",
    pValue: "p-value",
    n: "Treated / control",
    control: "Control",
    verdict: "Reading",
  },
  control: {
    holdout: "Hold-out",
    matched: "Matched ({{count}} accounts, {{runs}} runs)",
  },
  verdict: {
    works: "Works",
    harms: "Harms",
    unclear: "Not distinguishable from 0",
    none: "No estimate",
  },
  reason: {
    few_treated: "Fewer than 2 runs measured at the end of their window",
    few_holdout: "Fewer than 2 hold-out accounts measured",
    few_matched: "Fewer than 2 matched accounts",
    no_variance: "The metric did not vary, so there is no interval",
    no_signal_type:
      "No hold-out and no signal type to match controls by: give its automation a hold-out share",
  },
  version: "v{{version}}",
  metric: {
    active_users: "Active users (28 days)",
    health_score: "Health score",
    feature_weekly_use: "Weekly use of {{feature}}",
    mrr: "MRR",
    nps: "NPS",
  },
  window: "{{days}}-day window",
  success: {
    title: "Success rate per playbook",
    subtitle: "Measured runs whose metric moved the way the playbook wants, and runs with every step done.",
    runs: "Runs",
    measured: "Measured",
    succeeded: "Succeeded",
    rate: "Success rate",
    completed: "Completed",
  },
  method:
    "Control: the hold-out accounts the playbook's automation left untreated when there are at least 2; otherwise accounts of the same segment, health band and ARR band that raised one of its signals in the same week without it. See docs/effects.md.",
  roi: {
    title: "CS ROI",
    subtitle:
      "ARR saved by save campaigns and expanded at renewal, against the save-campaign cost spent on each book.",
    by: "Group by",
    teams: "Teams",
    members: "CSMs",
    team: "Team",
    csm: "CSM",
    unassigned: "Unassigned",
    accounts: "Accounts",
    arrSaved: "ARR saved",
    arrExpanded: "ARR expanded",
    cost: "Cost",
    roi: "ROI",
    empty: "No accounts with an owner, save campaign or renewal outcome yet.",
    note: "Attributed to each account's current owner. Cost is the money entered on save campaigns, split evenly over the accounts worked; time spent is not recorded.",
  },
};
