import { describe, expect, it } from "vitest";
import { starterStepTitleIn } from "./starter-library";

describe("starterStepTitleIn", () => {
  it("should give a starter step's title in the reader's language from either language, and keep other titles", () => {
    expect(starterStepTitleIn("Send the welcome email", "zh-CN")).toBe("发送欢迎邮件");
    expect(starterStepTitleIn("发送欢迎邮件", "en")).toBe("Send the welcome email");
    expect(starterStepTitleIn("Send the welcome email", "en")).toBe("Send the welcome email");
    expect(starterStepTitleIn("Call the CFO about the invoice", "zh-CN")).toBe(
      "Call the CFO about the invoice",
    );
  });
});
