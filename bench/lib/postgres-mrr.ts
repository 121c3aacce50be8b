import type { Month } from "@tenure/core";
import pg from "pg";
import type { MovementTotals } from "./compare";
import type { SubscriptionPeriod } from "./periods";

/**
 * The baseline: MRR movements computed in PostgreSQL as SQL, the way dbt's mrr-playbook does it
 * (month spine joined to subscription periods, window functions, lag() for the previous month).
 *
 * One deliberate difference from the playbook: its month rows are month STARTS, Tenure's are month-END
 * snapshots. So the spine here is of month-end dates d and a period counts in month d when
 * start_date <= d < end_date (end_date null = open-ended), exactly Tenure's rule; otherwise the two sides
 * would disagree for every period that starts or ends mid-month.
 */

export const BENCH_SCHEMA = "tenure_bench";
const INSERT_BATCH = 5_000;

/** Connection string of the baseline database. */
export function baselineDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  return env.TENURE_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
}

/**
 * Opens a client tuned in the baseline's favour: `work_mem` raised so its sorts and hashes stay in
 * memory, and JIT off (on this query JIT compilation costs seconds and saves nothing).
 */
export async function connectBaseline(url: string, workMem: string): Promise<pg.Client> {
  if (!/^\d+[kMG]B$/.test(workMem)) throw new Error(`bad work_mem "${workMem}"`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET work_mem = '${workMem}'`);
  await client.query("SET jit = off");
  return client;
}

/** Current values of the planner settings that matter for the baseline, for the report. */
export async function baselineSettings(client: pg.Client): Promise<string> {
  const res = await client.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('work_mem', 'jit', 'max_parallel_workers_per_gather', 'shared_buffers', 'server_version')
      ORDER BY name`,
  );
  return res.rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ""}`).join(", ");
}

/**
 * (Re)creates the bench schema and loads `subscription_periods` in one transaction, then ANALYZEs it.
 * customer_id uses the "C" collation, again in the baseline's favour: every window and join sorts by it.
 */
export async function loadSubscriptionPeriods(
  client: pg.Client,
  periods: readonly SubscriptionPeriod[],
): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${BENCH_SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${BENCH_SCHEMA}`);
  await client.query(`CREATE TABLE ${BENCH_SCHEMA}.subscription_periods (
    subscription_id text NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    start_date date NOT NULL,
    end_date date,
    monthly_amount double precision NOT NULL
  )`);
  await client.query("BEGIN");
  try {
    for (let i = 0; i < periods.length; i += INSERT_BATCH) {
      const batch = periods.slice(i, i + INSERT_BATCH);
      const values: (string | number | null)[] = [];
      const tuples: string[] = [];
      for (const p of batch) {
        const k = values.length;
        tuples.push(`($${k + 1}, $${k + 2}, $${k + 3}::date, $${k + 4}::date, $${k + 5}::float8)`);
        values.push(p.subscriptionId, p.customerId, p.startDate, p.endDate, p.monthlyAmount);
      }
      await client.query(
        `INSERT INTO ${BENCH_SCHEMA}.subscription_periods
           (subscription_id, customer_id, start_date, end_date, monthly_amount) VALUES ${tuples.join(",")}`,
        values,
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  await client.query(`ANALYZE ${BENCH_SCHEMA}.subscription_periods`);
}

function monthStartLiteral(month: Month): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`bad month "${month}"`);
  return `DATE '${month}-01'`;
}

/**
 * The mrr-playbook as one CREATE TABLE AS statement over the months `from`..`to` (util_months).
 * Output: one row per customer-month from the first active month through the month after the last one
 * (the added churn month), with mrr, mrr_change and change_category
 * (new / churn / reactivation / upgrade / downgrade, null = no change).
 */
export function mrrPlaybookSql(from: Month, to: Month): string {
  const s = BENCH_SCHEMA;
  return `CREATE TABLE ${s}.mrr AS
WITH util_months AS (
  SELECT (m + interval '1 month' - interval '1 day')::date AS date_month
  FROM generate_series(${monthStartLiteral(from)}::timestamp, ${monthStartLiteral(to)}::timestamp, interval '1 month') AS m
),
subscription_periods AS (
  SELECT customer_id, start_date, end_date, monthly_amount FROM ${s}.subscription_periods
),
customers AS (
  SELECT customer_id,
         min(start_date) AS first_start,
         max(coalesce(end_date, 'infinity'::date)) AS last_end
  FROM subscription_periods
  GROUP BY 1
),
customer_months AS (
  SELECT customers.customer_id, util_months.date_month
  FROM customers
  JOIN util_months
    ON util_months.date_month >= customers.first_start
   AND util_months.date_month < customers.last_end
),
joined AS (
  SELECT customer_months.date_month,
         customer_months.customer_id,
         sum(coalesce(subscription_periods.monthly_amount, 0)) AS mrr
  FROM customer_months
  LEFT JOIN subscription_periods
    ON customer_months.customer_id = subscription_periods.customer_id
   AND customer_months.date_month >= subscription_periods.start_date
   AND (subscription_periods.end_date IS NULL OR customer_months.date_month < subscription_periods.end_date)
  GROUP BY 1, 2
),
customer_revenue_by_month AS (
  SELECT date_month, customer_id, mrr, mrr > 0 AS is_active,
         min(CASE WHEN mrr > 0 THEN date_month END) OVER (PARTITION BY customer_id) AS first_active_month,
         max(CASE WHEN mrr > 0 THEN date_month END) OVER (PARTITION BY customer_id) AS last_active_month
  FROM joined
),
unioned AS (
  SELECT date_month, customer_id, mrr, is_active, first_active_month
  FROM customer_revenue_by_month
  WHERE date_month <= last_active_month
  UNION ALL
  -- the month after the last active one: the churn month
  SELECT (date_trunc('month', date_month) + interval '2 month' - interval '1 day')::date,
         customer_id, 0::double precision, false, first_active_month
  FROM customer_revenue_by_month
  WHERE date_month = last_active_month
),
mrr_with_changes AS (
  SELECT *,
         coalesce(lag(is_active) OVER w, false) AS previous_month_is_active,
         coalesce(lag(mrr) OVER w, 0) AS previous_month_mrr
  FROM unioned
  WINDOW w AS (PARTITION BY customer_id ORDER BY date_month)
)
SELECT date_month, customer_id, mrr, mrr - previous_month_mrr AS mrr_change,
       CASE
         WHEN date_month = first_active_month THEN 'new'
         WHEN NOT is_active AND previous_month_is_active THEN 'churn'
         WHEN is_active AND NOT previous_month_is_active THEN 'reactivation'
         WHEN mrr - previous_month_mrr > 0 THEN 'upgrade'
         WHEN mrr - previous_month_mrr < 0 THEN 'downgrade'
       END AS change_category
FROM mrr_with_changes
WHERE date_month <= (SELECT max(date_month) FROM util_months)`;
}

/** Drops the baseline's output table (between timed runs). */
export async function dropMrrTable(client: pg.Client): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${BENCH_SCHEMA}.mrr`);
}

/** Runs the playbook statement; resolves to the number of customer-month rows it wrote. */
export async function runMrrPlaybook(client: pg.Client, sql: string): Promise<number> {
  const res = await client.query(sql);
  return res.rowCount ?? 0;
}

const CATEGORY_TO_KIND = {
  new: "new",
  upgrade: "expansion",
  downgrade: "contraction",
  churn: "churn",
  reactivation: "reactivation",
} as const;

/** Per-month signed totals of the baseline's movements, keyed by Tenure's movement kinds. */
export async function baselineMovementTotals(client: pg.Client): Promise<MovementTotals> {
  const res = await client.query<{ month: string; category: keyof typeof CATEGORY_TO_KIND; total: number }>(
    `SELECT to_char(date_month, 'YYYY-MM') AS month, change_category AS category, sum(mrr_change) AS total
     FROM ${BENCH_SCHEMA}.mrr WHERE change_category IS NOT NULL GROUP BY 1, 2`,
  );
  const out: MovementTotals = new Map();
  for (const r of res.rows) {
    let row = out.get(r.month);
    if (!row) {
      row = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 };
      out.set(r.month, row);
    }
    row[CATEGORY_TO_KIND[r.category]] += Number(r.total);
  }
  return out;
}
