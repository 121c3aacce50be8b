import type { accountTasksEn, tasksEn } from "./i18n-en";

/** 任务视图的简体中文文案（合并到 zh-cn.ts 的 `tasks`）。 */
export const tasksZh: typeof tasksEn = {
  title: "任务",
  listTitle: "工作清单",
  actingAs: "当前身份",
  nobody: "— 未选择 —",
  pickMember: "请先在“当前身份”中选择你是谁，才能看到你的任务。",
  empty: "这里没有待办事项。",
  overdue: "已逾期",
  pool: "池：{{team}}",
  outcome: "结果备注",
  complete: "完成",
  skip: "跳过",
  previous: "上一页",
  next: "下一页",
  noMembers: "还没有团队成员：用 tenure import team FILE 导入。",
  tabs: { mine: "我的任务", team: "团队", overdue: "逾期" },
  columns: {
    due: "截止日期",
    priority: "优先级",
    account: "客户",
    title: "任务",
    assignee: "负责人",
    actions: "关闭",
  },
  priorities: { low: "低", normal: "普通", high: "高", urgent: "紧急" },
  workload: {
    title: "每位 CSM 的工作量",
    summary: "{{members}} 位在岗 CSM 负责 {{arr}} ARR。",
    accounts: "客户数",
    capacity: "容量",
    open: "未完成任务",
    overdue: "逾期任务",
  },
  timeline: {
    created: "创建任务：{{title}}",
    completed: "完成任务：{{title}}",
    skipped: "跳过任务：{{title}}",
    reopened: "重新打开任务：{{title}}",
  },
};

/** 客户页任务卡片的简体中文文案（合并到 zh-cn.ts 的 `accountTasks`）。 */
export const accountTasksZh: typeof accountTasksEn = {
  title: "任务",
  openCount_one: "{{count}} 项未完成任务",
  openCount_other: "{{count}} 项未完成任务",
  empty: "该客户没有未完成的任务。",
  due: "截止 {{date}}",
  unassigned: "未分配",
  from: "来源：",
  run: "方案执行",
  step: "{{name}}，第 {{step}} 步",
  signal: "信号",
  automation: "自动化",
  reassign: "转交",
  reassignTo: "转交给…",
  showClosed: "显示已完成和已跳过的任务",
  hideClosed: "隐藏已完成和已跳过的任务",
  noneClosed: "还没有已完成或已跳过的任务。",
  status: { open: "未开始", in_progress: "进行中", done: "已完成", skipped: "已跳过" },
};
