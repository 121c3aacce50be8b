import { describe, expect, it } from "vitest";
import { humanizeCode } from "./display-names";

describe("humanizeCode", () => {
  it("should turn snake and kebab codes into words when no name is known", () => {
    expect(humanizeCode("paid_search")).toBe("Paid search");
    expect(humanizeCode("data-platform-enterprise-annual-usd")).toBe("Data platform enterprise annual usd");
    expect(humanizeCode("no_new_data")).toBe("No new data");
  });

  it("should leave names and acronyms as they are", () => {
    expect(humanizeCode("NA")).toBe("NA");
    expect(humanizeCode("Maya Chen")).toBe("Maya Chen");
    expect(humanizeCode("organic")).toBe("Organic");
  });
});
