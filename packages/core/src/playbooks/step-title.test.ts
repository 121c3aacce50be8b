import { describe, expect, it } from "vitest";
import { STARTER_PLAYBOOKS } from "./starter-library";
import { taskTitleIn } from "./step-title";
import type { PlaybookDefinition } from "./types";

const onboarding = STARTER_PLAYBOOKS.find((p) => p.definition.steps.length > 1)
  ?.definition as PlaybookDefinition;
const first = onboarding.steps[0]?.title ?? {};

describe("taskTitleIn", () => {
  it("should give an unchanged step title in the reader's language, from either language", () => {
    const step = { definition: onboarding, index: 0 };
    expect(first.en).toBeTruthy();
    expect(first["zh-CN"]).toBeTruthy();
    expect(taskTitleIn(first.en as string, step, "zh-CN")).toBe(first["zh-CN"]);
    expect(taskTitleIn(first["zh-CN"] as string, step, "en")).toBe(first.en);
    expect(taskTitleIn(first.en as string, step, "en")).toBe(first.en);
  });

  it("should keep the team's own title, a title of another step and a task without a step as written", () => {
    expect(taskTitleIn("Call the CFO about the invoice", { definition: onboarding, index: 0 }, "zh-CN")).toBe(
      "Call the CFO about the invoice",
    );
    // The same words as step 1's title, but this task belongs to step 2: not a translation of it.
    expect(taskTitleIn(first.en as string, { definition: onboarding, index: 1 }, "zh-CN")).toBe(first.en);
    expect(taskTitleIn(first.en as string, null, "zh-CN")).toBe(first.en);
    expect(taskTitleIn(first.en as string, { definition: onboarding, index: 99 }, "zh-CN")).toBe(first.en);
  });

  it("should use the run's own version: a step renamed in a later version does not change older tasks", () => {
    const v1: PlaybookDefinition = {
      ...onboarding,
      steps: onboarding.steps.map((s, i) =>
        i === 0 ? { ...s, title: { en: "Kick-off call", "zh-CN": "启动会议" } } : s,
      ),
    };
    expect(taskTitleIn("Kick-off call", { definition: v1, index: 0 }, "zh-CN")).toBe("启动会议");
    expect(taskTitleIn("Kick-off call", { definition: onboarding, index: 0 }, "zh-CN")).toBe("Kick-off call");
  });
});
