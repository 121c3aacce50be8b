const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** True for a "YYYY-MM" string with a valid month. */
export function isMonth(value: unknown): value is string {
  return typeof value === "string" && MONTH.test(value);
}

/** Adds `delta` months to a "YYYY-MM" string. */
export function addMonths(month: string, delta: number): string {
  const [year, mon] = month.split("-").map(Number);
  const index = (year ?? 0) * 12 + ((mon ?? 1) - 1) + delta;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}
