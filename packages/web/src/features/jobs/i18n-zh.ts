import type { jobsEn } from "./i18n-en";

/** Simplified Chinese strings of Settings → Jobs (merged into zh-cn.ts as `jobs`). */
export const jobsZh: typeof jobsEn = {
  title: "后台任务",
  subtitle: "任务队列：邮件与 Webhook 投递、自动化动作、等待与定时任务。失败的任务保留最后一次错误，可重试。",
  statuses: { queued: "排队中", running: "运行中", done: "已完成", failed: "已失败" },
  filter: "状态",
  all: "全部",
  empty: "没有该状态的任务。",
  created: "创建时间",
  kind: "类型",
  status: "状态",
  attempts: "尝试次数",
  runAt: "执行时间 / 租约到期",
  lastError: "最后错误",
  retry: "重试",
  retrying: "正在重试…",
  retried: "已重新排队。",
  page: "第 {{from}}–{{to}} 条，共 {{total}} 条",
  previous: "上一页",
  next: "下一页",
};
