import { TenureError } from "../../errors";
import type { Transaction } from "./rfm";

const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Parses a transaction log from text: a CSV with header `customer_id,date,amount` (date YYYY-MM-DD), or
 * the whitespace-separated CDNOW layout (`id [sample_id] YYYYMMDD quantity amount`, optional header line;
 * the first column is the customer id). The format is detected from the first line.
 */
export function parseTransactionsText(text: string): Transaction[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) return [];
  const first = lines[0]!;
  return first.includes(",") ? parseCsv(lines) : parseWhitespace(lines);
}

function parseCsv(lines: string[]): Transaction[] {
  const header = lines[0]!.split(",").map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new TenureError("validation", `CSV header must have customer_id,date,amount; missing ${name}`);
    return i;
  };
  const [ci, di, ai] = [col("customer_id"), col("date"), col("amount")];
  return lines.slice(1).map((line, k) => {
    const cells = line.split(",").map((c) => c.trim());
    const amount = Number(cells[ai]);
    const customerId = cells[ci] ?? "";
    if (customerId === "" || !Number.isFinite(amount) || cells[ai] === "") {
      throw new TenureError("validation", `line ${k + 2}: expected customer_id,date,amount, got "${line}"`);
    }
    return { customerId, date: cells[di] ?? "", amount };
  });
}

function parseWhitespace(lines: string[]): Transaction[] {
  const out: Transaction[] = [];
  lines.forEach((line, k) => {
    const cells = line.trim().split(/\s+/);
    const dateIndex = cells.length === 5 ? 2 : 1;
    const date = COMPACT_DATE.exec(cells[dateIndex] ?? "");
    if (!date) {
      if (k === 0) return; // header line (CDNOW_master has one)
      throw new TenureError(
        "validation",
        `line ${k + 1}: expected "id [id] YYYYMMDD quantity amount", got "${line}"`,
      );
    }
    const amount = Number(cells[cells.length - 1]);
    if (cells.length < 4 || cells.length > 5 || !Number.isFinite(amount)) {
      throw new TenureError(
        "validation",
        `line ${k + 1}: expected "id [id] YYYYMMDD quantity amount", got "${line}"`,
      );
    }
    out.push({ customerId: cells[0]!, date: `${date[1]}-${date[2]}-${date[3]}`, amount });
  });
  return out;
}
