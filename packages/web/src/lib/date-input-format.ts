/** Dates typed in the viewer's locale (digits in the locale's order) to and from ISO. */
export type DateInputKind = "date" | "month";
type Kind = DateInputKind;

/** The order and separator of the numeric date parts in a locale, e.g. zh-CN ["year","month","day"] and "/". */
function localePattern(locale: string, kind: Kind): { order: ("year" | "month" | "day")[]; sep: string } {
  const parts = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "2-digit",
    ...(kind === "date" ? { day: "2-digit" } : {}),
    timeZone: "UTC",
  }).formatToParts(new Date(Date.UTC(2026, 11, 7)));
  const order = parts
    .filter((p): p is Intl.DateTimeFormatPart & { type: "year" | "month" | "day" } =>
      ["year", "month", "day"].includes(p.type),
    )
    .map((p) => p.type);
  const literal = parts.find((p) => p.type === "literal")?.value.trim();
  return { order, sep: literal && /^[-/.]$/.test(literal) ? literal : "/" };
}

/** "2026-12-07" as the locale writes it in digits: "2026/12/07" (zh-CN), "12/07/2026" (en). */
export function formatIsoForInput(iso: string, locale: string, kind: Kind): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso);
  if (!m) return "";
  const values = { year: m[1], month: m[2], day: m[3] };
  const { order, sep } = localePattern(locale, kind);
  return order.map((p) => values[p] ?? "").join(sep);
}

/** Digits typed in the locale's order back to ISO; null when they are not a real date. */
export function parseInputToIso(text: string, locale: string, kind: Kind): string | null {
  const groups = text
    .trim()
    .split(/[^\d]+/)
    .filter((g) => g !== "");
  const { order } = localePattern(locale, kind);
  if (groups.length !== order.length) return null;
  const v: Record<string, number> = {};
  order.forEach((p, i) => {
    v[p] = Number(groups[i]);
  });
  const year = v.year ?? 0;
  const month = v.month ?? 0;
  const day = kind === "date" ? (v.day ?? 0) : 1;
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const iso = date.toISOString().slice(0, 10);
  return kind === "month" ? iso.slice(0, 7) : iso;
}
