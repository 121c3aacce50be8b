import { isTenureError, type TenureError } from "@tenure/core";
import { minimalAccount } from "@tenure/storage";
import { describe, expect, it } from "vitest";
import { renderTemplate, templateVariablesUsed, validateTemplate } from "./email-template";
import { type TemplateSource, templateView } from "./template-variables";

const source: TemplateSource = {
  account: { ...minimalAccount("acc-1"), name: "Acme <Labs> & Co", owner: "mei" },
  arr: 120_000,
  mrr: 10_000,
  renewalDate: "2027-01-31",
  healthScore: 41.6,
  healthBand: "red",
  reportingCurrency: "USD",
  owner: { name: "Mei Lin", email: "mei@tenure.example" },
  contact: { name: "Ana", email: "ana@acme.example", title: "CTO" },
  workspaceName: "Tenure Demo",
};

const rejection = (t: { subject: string; body: string }): TenureError => {
  try {
    validateTemplate(t);
  } catch (err) {
    if (isTenureError(err, "validation")) return err;
    throw err;
  }
  throw new Error("template was accepted");
};

describe("email templates", () => {
  it("should accept the documented variables, in sections too", () => {
    expect(() =>
      validateTemplate({
        subject: "{{account.name}} renews on {{account.renewalDate}}",
        body: "Hi {{contact.name}},\n{{#account.owner.email}}Write to {{account.owner.email}}{{/account.owner.email}}\n{{^contact.title}}-{{/contact.title}}",
      }),
    ).not.toThrow();
  });

  it("should reject an unknown variable naming it, its field and its line", () => {
    const err = rejection({ subject: "Hi", body: "Hello {{contact.name}},\n\nYour plan: {{account.plan}}" });
    expect(err.message).toBe('body: line 3: unknown variable "account.plan" (see the documented variables)');
    expect(err.details).toEqual({ field: "body", line: 3, variable: "account.plan" });
    expect(rejection({ subject: "{{ acount.name }}", body: "" }).message).toMatch(
      /^subject: line 1: unknown variable "acount.name"/,
    );
  });

  it("should find unknown variables inside sections", () => {
    expect(
      rejection({ subject: "s", body: "{{#account.name}}\n{{secret}}\n{{/account.name}}" }).message,
    ).toMatch(/^body: line 2: unknown variable "secret"/);
  });

  it("should reject invalid syntax naming the line", () => {
    expect(rejection({ subject: "s", body: "one\ntwo {{#account.name}} three" }).message).toBe(
      'body: invalid template syntax on line 2: Unclosed section "account.name"',
    );
    expect(rejection({ subject: "s", body: "one\n\n{{account.name" }).message).toBe(
      "body: invalid template syntax on line 3: Unclosed tag",
    );
  });

  it("should reject partials, which would load other templates", () => {
    expect(rejection({ subject: "s", body: "{{> footer}}" }).message).toMatch(
      /partials .* are not supported/,
    );
  });

  it("should render HTML-escaped values into Markdown HTML, and plain subject and text", () => {
    const t = {
      subject: "{{account.name}}: renewal on {{account.renewalDate}}",
      body: "# Hello {{contact.name}}\n\n**{{account.name}}** pays {{account.arr}} a year (health {{account.healthScore}}, {{account.healthBand}}).\n\n{{account.owner.name}}",
    };
    const out = renderTemplate(t, templateView(source, "en"));
    expect(out.subject).toBe("Acme <Labs> & Co: renewal on 2027-01-31");
    expect(out.text).toContain("**Acme <Labs> & Co** pays $120,000 a year (health 42, red).");
    expect(out.html).toContain("<h1>Hello Ana</h1>");
    expect(out.html).toContain("<strong>Acme &lt;Labs&gt; &amp; Co</strong> pays $120,000");
    expect(out.html).not.toContain("<Labs>");
    expect(out.html).toContain("<p>Mei Lin</p>");
  });

  it("should show a template's raw HTML as text and drop javascript: links when rendering (script injection, issue 16)", () => {
    const t = {
      subject: "Hi",
      body: [
        "<script>alert(1)</script>",
        "",
        'Hello <img src=x onerror="alert(1)"> and <svg onload=alert(1)>',
        "",
        "[click](javascript:alert(1)) [tab](java\tscript:alert(1)) ![i](data:text/html,<script>alert(1)</script>)",
        "",
        "[ok](https://example.com/renew) [mail](mailto:cs@example.com) [rel](/accounts/1)",
      ].join("\n"),
    };
    const { html } = renderTemplate(t, templateView(source, "en"));
    // Every tag in the output is Markdown's own, with no event handler and no script or SVG.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /^<(script|svg|iframe|object)|\son\w+=/i.test(tag))).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/href="[^"]*script:/i);
    expect(html).not.toMatch(/src="data:/i);
    expect(html).toContain('href="https://example.com/renew"');
    expect(html).toContain('href="mailto:cs@example.com"');
    expect(html).toContain('href="/accounts/1"');
  });

  it("should keep a Markdown link in account data from becoming a javascript: link", () => {
    const evil = {
      ...source,
      account: { ...source.account, name: "[win](javascript:alert(document.cookie))" },
    };
    const { html } = renderTemplate(
      { subject: "x", body: "Dear {{account.name}}" },
      templateView(evil, "en"),
    );
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it("should format amounts for the template's locale", () => {
    expect(templateView(source, "zh-CN").account.arr).toBe("US$120,000");
  });

  it("should list the variables a template uses", () => {
    expect(
      templateVariablesUsed({ subject: "{{account.name}}", body: "{{contact.name}} {{account.name}}" }),
    ).toEqual(["account.name", "contact.name"]);
  });
});
