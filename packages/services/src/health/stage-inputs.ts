import type { Storage } from "@tenure/storage";

/** Above this many accounts, one workspace-wide read beats one read per account. */
const PER_ACCOUNT_READS = 200;

/**
 * The stored churn probability per account, for the lifecycle-stage guards (an account at high churn
 * risk is never put in expansion or advocacy). `only` limits the read to the accounts being rescored.
 */
export async function churnProbabilities(
  storage: Storage,
  ws: string,
  only: ReadonlySet<string> | null,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (only !== null && only.size <= PER_ACCOUNT_READS) {
    const rows = await Promise.all([...only].map((id) => storage.predictions.forAccount(ws, id)));
    for (const list of rows)
      for (const r of list) if (r.target === "churn") out.set(r.accountId, r.probability);
    return out;
  }
  for (const r of await storage.predictions.list(ws, "churn")) out.set(r.accountId, r.probability);
  return out;
}
