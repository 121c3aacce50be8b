import { TenureError } from "@tenure/core";
import { marked } from "marked";
import Mustache from "mustache";
import { isTemplateVariable, type TemplateView } from "./template-variables";

/** The parts of a template that hold Mustache text. */
export interface TemplateText {
  subject: string;
  body: string;
}

/** A rendered email: plain subject, the Markdown body as text, and as HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Token = [string, string, number, number, Token[]?, ...unknown[]];

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Every variable and partial token of a parsed template, sections included, with its offset. */
function* walk(tokens: Token[]): Generator<{ type: string; name: string; start: number }> {
  for (const t of tokens) {
    const [type, name, start] = t;
    if (type === "name" || type === "&" || type === "#" || type === "^" || type === ">") {
      yield { type, name, start };
    }
    const children = t[4];
    if ((type === "#" || type === "^") && Array.isArray(children)) yield* walk(children);
  }
}

/** Mustache's syntax errors end with "at <offset>"; the line is what a person can find. */
function syntaxError(field: string, text: string, err: unknown): TenureError {
  const message = err instanceof Error ? err.message : String(err);
  const at = /^(.*) at (\d+)$/.exec(message);
  const where = at === null ? "" : ` on line ${lineOf(text, Number(at[2]))}`;
  const what = at === null ? message : (at[1] ?? message);
  return new TenureError("validation", `${field}: invalid template syntax${where}: ${what}`, {
    field,
  });
}

/**
 * Checks a template before it is saved: valid Mustache, no partials, and only the documented
 * variables. Throws a validation TenureError naming the field, the line and the variable.
 */
export function validateTemplate(t: TemplateText): void {
  for (const field of ["subject", "body"] as const) {
    const text = t[field];
    let tokens: Token[];
    try {
      tokens = Mustache.parse(text) as Token[];
    } catch (err) {
      throw syntaxError(field, text, err);
    }
    for (const tok of walk(tokens)) {
      const line = lineOf(text, tok.start);
      if (tok.type === ">") {
        throw new TenureError(
          "validation",
          `${field}: line ${line}: partials ({{> ${tok.name}}}) are not supported`,
          { field, line },
        );
      }
      if (!isTemplateVariable(tok.name)) {
        throw new TenureError(
          "validation",
          `${field}: line ${line}: unknown variable "${tok.name}" (see the documented variables)`,
          { field, line, variable: tok.name },
        );
      }
    }
  }
}

/** The variables a (valid) template uses, in order of first use. */
export function templateVariablesUsed(t: TemplateText): string[] {
  const used = new Set<string>();
  for (const text of [t.subject, t.body]) {
    for (const tok of walk(Mustache.parse(text) as Token[])) if (tok.type !== ">") used.add(tok.name);
  }
  return [...used];
}

const plain = (s: string) => s;

/**
 * Renders a validated template: the subject and text without HTML escaping (they are not HTML), the
 * HTML body from Markdown with every value HTML-escaped (Mustache's default), so account data cannot
 * inject markup.
 */
export function renderTemplate(t: TemplateText, view: TemplateView): RenderedEmail {
  const subject = Mustache.render(t.subject, view, undefined, { escape: plain }).replace(/\s+/g, " ").trim();
  const text = Mustache.render(t.body, view, undefined, { escape: plain });
  const markdown = Mustache.render(t.body, view);
  const html = marked.parse(markdown, { async: false });
  return { subject, text, html };
}
