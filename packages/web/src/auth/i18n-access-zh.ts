import type { accessEn } from "./i18n-access-en";

/** 简体中文：角色和客户名下范围（并入 zh-cn.ts 的 `access`）。 */
export const accessZh: typeof accessEn = {
  readOnlyRole: "你的角色只能查看客户，不能修改。",
  notYourBook: "这个客户不在你的名下：只有负责人、其经理或管理员可以修改。",
  ownersByManagers: "只有经理和管理员可以在名下之间转移客户。",
  forbiddenTitle: "没有权限",
  forbidden: "你没有权限执行此操作。{{reason}}",
  book: {
    label: "范围",
    mine: "我的客户",
    team: "我的团队",
    all: "全部客户",
    onlyMine: "此工作区只允许客户成功经理查看自己名下的客户。",
  },
};
