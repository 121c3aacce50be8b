import { TenureError } from "@tenure/core";
import { Marked, type Tokens } from "marked";
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

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * Whether a link or image URL may stay: no scheme (relative, #anchor) or http(s), mailto, tel.
 * Control characters and spaces are dropped first, as browsers do (`java\tscript:`).
 */
export function isSafeUrl(href: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop these from a URL's scheme.
  const compact = href.replace(/[\u0000-\u0020\u007f]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
  return scheme === undefined || ["http", "https", "mailto", "tel"].includes(scheme);
}

/**
 * Markdown for emails and their preview: raw HTML in the template is shown as text, never as markup,
 * and links or images to javascript:, data: or any other scheme lose their URL.
 */
const safeMarkdown = new Marked({
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
  },
  walkTokens: (token) => {
    if ((token.type === "link" || token.type === "image") && !isSafeUrl(token.href)) token.href = "#";
  },
});

/**
 * Renders a validated template: the subject and text without HTML escaping (they are not HTML), the
 * HTML body from Markdown with every value HTML-escaped (Mustache's default), so account data cannot
 * inject markup; the template's own raw HTML is escaped and unsafe link schemes dropped (safeMarkdown).
 */
export function renderTemplate(t: TemplateText, view: TemplateView): RenderedEmail {
  const subject = Mustache.render(t.subject, view, undefined, { escape: plain }).replace(/\s+/g, " ").trim();
  const text = Mustache.render(t.body, view, undefined, { escape: plain });
  const markdown = Mustache.render(t.body, view);
  const html = safeMarkdown.parse(markdown, { async: false });
  return { subject, text, html };
}
