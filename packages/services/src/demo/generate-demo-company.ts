import type {
  Account,
  AcquisitionSpend,
  Contact,
  Entitlement,
  ExchangeRate,
  IsoDate,
  Plan,
  Product,
  Subscription,
} from "@tenure/core";
import { TenureError } from "@tenure/core";
import { acquisitionDates } from "./acquisition-calendar";
import { acquisitionSpend, type NewCustomer } from "./acquisition-spend";
import { addDays, isIsoDate, monthIndexOf, toKey } from "./calendar";
import { buildCatalog } from "./catalog";
import { companyName, type NameRegistry } from "./company-names";
import { drawContacts } from "./contacts";
import { championDepartures } from "./departures";
import { demoEntitlements } from "./entitlements";
import { RateTable } from "./exchange-rates";
import { accountState } from "./lifecycle";
import { deriveSeed, Rng } from "./prng";
import { drawProfile } from "./profiles";
import { simulateHistory } from "./subscription-history";

export interface DemoOptions {
  /** Number of accounts (default 2,400). Generation time grows linearly. */
  accounts?: number;
  /** PRNG seed (default 42): the same options always give the same company. */
  seed?: number;
  /** The "today" of the demo (default "2026-11-15"); nothing starts after it. */
  asOf?: IsoDate;
  /** Years of history before asOf (default 3). */
  years?: number;
}

export interface DemoCompany {
  name: string;
  reportingCurrency: "USD";
  accounts: Account[];
  contacts: Contact[];
  products: Product[];
  plans: Plan[];
  subscriptions: Subscription[];
  /** Yearly sync allowances of the annual Data Platform terms (see entitlements.ts). */
  entitlements: Entitlement[];
  exchangeRates: ExchangeRate[];
  spend: AcquisitionSpend[];
}

export const DEMO_COMPANY_NAME = "Lumenary Analytics";

const STREAM_RATES = 1;
const STREAM_CALENDAR = 2;
const STREAM_SPEND = 3;
const STREAM_ACCOUNTS = 1000;
// Separate streams per account for later additions, so the accounts' own draws never shift.
const STREAM_DEPARTURES = 1_000_000;

function idPadder(prefix: string, count: number, minWidth: number): (n: number) => string {
  const width = Math.max(minWidth, String(count).length);
  return (n) => `${prefix}_${String(n).padStart(width, "0")}`;
}

function employeeBand(employees: number): string {
  if (employees <= 50) return "1-50";
  if (employees <= 200) return "51-200";
  if (employees <= 1000) return "201-1000";
  if (employees <= 5000) return "1001-5000";
  return "5000+";
}

function validate(opts: DemoOptions): Required<DemoOptions> {
  const accounts = opts.accounts ?? 2400;
  const seed = opts.seed ?? 42;
  const asOf = opts.asOf ?? "2026-11-15";
  const years = opts.years ?? 3;
  if (!Number.isInteger(accounts) || accounts < 1) {
    throw new TenureError("validation", "accounts must be a positive integer", { accounts });
  }
  if (!Number.isInteger(seed)) throw new TenureError("validation", "seed must be an integer", { seed });
  if (!isIsoDate(asOf)) throw new TenureError("validation", "asOf must be a date YYYY-MM-DD", { asOf });
  if (!Number.isInteger(years) || years < 1 || years > 20) {
    throw new TenureError("validation", "years must be an integer from 1 to 20", { years });
  }
  return { accounts, seed, asOf, years };
}

/**
 * Generates a deterministic demo SaaS company: accounts, contacts, catalog, subscription history,
 * exchange rates and acquisition spend. Pure: same options, same output.
 * @example generateDemoCompany({ accounts: 500, seed: 7, asOf: "2026-06-30" })
 */
export function generateDemoCompany(opts: DemoOptions = {}): DemoCompany {
  const { accounts: count, seed, asOf, years } = validate(opts);
  const asOfKey = toKey(asOf);
  const lastMonth = monthIndexOf(asOfKey);
  const firstMonth = lastMonth - 12 * years;

  const rates = new RateTable(firstMonth, lastMonth, new Rng(deriveSeed(seed, STREAM_RATES)));
  const dates = acquisitionDates(count, firstMonth, asOfKey, new Rng(deriveSeed(seed, STREAM_CALENDAR)));
  const catalog = buildCatalog();

  const accountId = idPadder("acc", count, 5);
  let subscriptionSeq = 0;
  const subscriptionId = idPadder("sub", count * 8, 7);
  const nextSubscriptionId = () => subscriptionId(++subscriptionSeq);
  let contactSeq = 0;
  const contactId = idPadder("con", count * 6, 6);
  const nextContactId = () => contactId(++contactSeq);

  const accounts: Account[] = [];
  const contacts: Contact[] = [];
  const subscriptions: Subscription[] = [];
  const newCustomers: NewCustomer[] = [];
  const usedNames: NameRegistry = { names: new Set(), numbered: new Map() };

  dates.forEach((acquired, i) => {
    // One independent stream per account: an account's story does not shift when another's changes.
    const rng = new Rng(deriveSeed(seed, STREAM_ACCOUNTS + i));
    const id = accountId(i + 1);
    const profile = drawProfile(rng, monthIndexOf(acquired));
    const { name, domain } = companyName(rng, profile.industry, profile.currency, usedNames);
    const history = simulateHistory(
      { accountId: id, profile, acquired, asOf: asOfKey, amounts: catalog.amounts, nextSubscriptionId },
      rng,
    );
    for (const row of history.rows) subscriptions.push(row);
    if (history.firstPaidStart !== null && history.firstMrr > 0) {
      const mi = monthIndexOf(history.firstPaidStart);
      newCustomers.push({
        monthIndex: mi,
        channel: profile.channel,
        mrrUsd: history.firstMrr * rates.rate(profile.currency, mi),
      });
    }
    const state = accountState(profile, history, asOfKey, rng);
    accounts.push({
      id,
      name,
      crmId: `crm_${String(100000 + i * 7 + rng.int(0, 6))}`,
      billingId:
        history.firstPaidStart === null ? null : `cus_${deriveSeed(seed, i).toString(36).padStart(7, "0")}`,
      tier: profile.tier,
      segment: employeeBand(profile.employees),
      industry: profile.industry,
      region: profile.region,
      owner: profile.owner,
      lifecycleStage: state.stage,
      channel: profile.channel,
      utmSource: profile.utmSource,
      utmMedium: profile.utmMedium,
      utmCampaign: profile.utmCampaign,
      tags: state.tags,
      customFields: { employees: profile.employees, nps: state.nps, churn_reason: state.churnReason },
    });
    const lastActive = history.active
      ? asOfKey
      : (history.churnedAt ?? Math.min(addDays(acquired, 14), asOfKey));
    const drawn = drawContacts(
      {
        accountId: id,
        domain,
        tier: profile.tier,
        acquired,
        lastActive: Math.min(lastActive, asOfKey),
        nextContactId,
      },
      rng,
    );
    const departures = new Rng(deriveSeed(seed, STREAM_DEPARTURES + i));
    for (const c of championDepartures(
      drawn,
      { active: history.active, acquired, asOf: asOfKey },
      departures,
    )) {
      contacts.push(c);
    }
  });

  return {
    name: DEMO_COMPANY_NAME,
    reportingCurrency: "USD",
    accounts,
    contacts,
    products: catalog.products,
    plans: catalog.plans,
    subscriptions,
    entitlements: demoEntitlements(subscriptions),
    exchangeRates: rates.toRecords(),
    spend: acquisitionSpend(newCustomers, firstMonth, lastMonth, new Rng(deriveSeed(seed, STREAM_SPEND))),
  };
}
