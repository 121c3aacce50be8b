import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedCookieValue } from "../src/identity/index";

const SECRET = "a secret of enough length for the test 0123456789";
/** Signed as better-call signs a cookie (identity.test.ts checks a real better-auth session cookie). */
const sign = (value: string, secret = SECRET) =>
  encodeURIComponent(`${value}.${createHmac("sha256", secret).update(value).digest("base64")}`);

describe("signedCookieValue", () => {
  it("should return the value of the named cookie when its signature is right, else null", () => {
    const header = `other=1; tenure.session_token=${sign("tok123")}; last=2`;
    expect(signedCookieValue(header, "tenure.session_token", SECRET)).toBe("tok123");
    expect(
      signedCookieValue(`tenure.session_token="${sign("tok123")}"`, "tenure.session_token", SECRET),
    ).toBe("tok123");
    expect(signedCookieValue(header, "__Secure-tenure.session_token", SECRET)).toBeNull();
    expect(signedCookieValue(header, "tenure.session_token", `${SECRET}x`)).toBeNull();
    expect(
      signedCookieValue(
        `tenure.session_token=${sign("tok124").replace("tok124", "tok125")}`,
        "tenure.session_token",
        SECRET,
      ),
    ).toBeNull();
    expect(signedCookieValue("tenure.session_token=tok123", "tenure.session_token", SECRET)).toBeNull();
    expect(signedCookieValue("tenure.session_token=%E0%A4%A", "tenure.session_token", SECRET)).toBeNull();
    expect(signedCookieValue("tenure.session_token=.abc", "tenure.session_token", SECRET)).toBeNull();
    expect(signedCookieValue(null, "tenure.session_token", SECRET)).toBeNull();
  });
});
