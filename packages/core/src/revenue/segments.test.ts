import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import type { Plan } from "../types";
import { accountIdsInSegment, parseSegment } from "./segments";
import { account, sub } from "./test-fixtures";

const accounts = [
  account({
    id: "a",
    tier: "Enterprise",
    region: "EMEA",
    tags: ["Strategic"],
    customFields: { Industry2: "Retail", seats: 40 },
  }),
  account({ id: "b", tier: "smb", owner: "alice@example.com", channel: "ads", lifecycleStage: "adoption" }),
  account({ id: "c", tier: null, tags: ["strategic", "beta"] }),
];
const plans: Plan[] = [
  { id: "crm-pro", productId: "crm", name: "CRM Pro", interval: "month", amount: 99, currency: "USD" },
];
const subs = [
  sub({ accountId: "a", plan: "crm-pro", startDate: "2024-01-01" }),
  sub({ accountId: "b", plan: "legacy", startDate: "2024-01-01" }),
  sub({ accountId: "ghost", plan: "crm-pro", startDate: "2024-01-01" }),
];

const ids = (text: string) => [...accountIdsInSegment(accounts, subs, plans, parseSegment(text))].sort();

describe("accountIdsInSegment", () => {
  it("should match account attributes case-insensitively", () => {
    expect(ids("tier=enterprise")).toEqual(["a"]);
    expect(ids("region=emea")).toEqual(["a"]);
    expect(ids("owner=Alice@Example.com")).toEqual(["b"]);
    expect(ids("channel=ADS")).toEqual(["b"]);
    expect(ids("lifecycleStage=adoption")).toEqual(["b"]);
    expect(ids("tier=none")).toEqual([]);
  });

  it("should match any tag, and custom fields by key", () => {
    expect(ids("tag=STRATEGIC")).toEqual(["a", "c"]);
    expect(ids("custom.Industry2=retail")).toEqual(["a"]);
    expect(ids("custom.industry2=retail")).toEqual(["a"]);
    expect(ids("custom.seats=40")).toEqual(["a"]);
  });

  it("should match plan by id or name and product through the plan, for known accounts only", () => {
    expect(ids("plan=crm-pro")).toEqual(["a"]);
    expect(ids("plan=crm pro")).toEqual(["a"]);
    expect(ids("product=CRM")).toEqual(["a"]);
    // Unknown plan: the plan id stands for the product.
    expect(ids("product=legacy")).toEqual(["b"]);
  });

  it("should throw a validation error naming the attribute and the valid ones when it is unknown", () => {
    const run = () => accountIdsInSegment(accounts, subs, plans, { attribute: "colour", value: "red" });
    expect(run).toThrowError(TenureError);
    expect(run).toThrowError(/"colour".*tier, segment, industry.*custom\.<key>/);
  });
});

describe("parseSegment", () => {
  it("should split on the first = and trim when the text is attribute=value", () => {
    expect(parseSegment(" tier = enterprise ")).toEqual({ attribute: "tier", value: "enterprise" });
    expect(parseSegment("custom.formula=a=b")).toEqual({ attribute: "custom.formula", value: "a=b" });
  });

  it("should throw a validation error when the text is malformed", () => {
    for (const bad of ["tier", "tier=", "=x", "custom.=x", "colour=red"]) {
      expect(() => parseSegment(bad)).toThrowError(TenureError);
    }
  });
});
