import { monthOfIndex } from "./calendar";
import type { DemoCurrency, DemoInterval, Edition } from "./catalog";
import type { Rng } from "./prng";
import { CSM_NAMES, EVENT_NAMES, PARTNER_NAMES, TECH_TOUCH_OWNER } from "./word-lists";

export type Tier = "enterprise" | "mid-market" | "smb";
export type Region = "NA" | "EMEA" | "APAC" | "LATAM";
export type Channel = "organic" | "paid_search" | "paid_social" | "partner" | "outbound" | "events";
export const CHANNELS: readonly Channel[] = [
  "organic",
  "paid_search",
  "paid_social",
  "partner",
  "outbound",
  "events",
];
/** "converted": a trial row precedes the first paid rows; "lost": the account only ever had a trial. */
export type TrialKind = "none" | "converted" | "lost";

/** Everything drawn about an account when it is acquired; the subscription history evolves from it. */
export interface AccountProfile {
  tier: Tier;
  region: Region;
  currency: DemoCurrency;
  industry: string;
  employees: number;
  owner: string;
  channel: Channel;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  interval: DemoInterval;
  edition: Edition;
  /** product ids, primary first */
  products: string[];
  seats: number;
  discountPct: number;
  /** A partner sandbox: 100% discount, not MRR. */
  partner: boolean;
  trial: TrialKind;
}

type Weights<T> = readonly (readonly [T, number])[];

const TIERS: Weights<Tier> = [
  ["smb", 60],
  ["mid-market", 27],
  ["enterprise", 13],
];
const REGIONS: Weights<Region> = [
  ["NA", 48],
  ["EMEA", 30],
  ["APAC", 15],
  ["LATAM", 7],
];
const INDUSTRIES: Weights<string> = [
  ["SaaS", 22],
  ["Retail", 12],
  ["Finance", 12],
  ["Healthcare", 10],
  ["Manufacturing", 10],
  ["Education", 8],
  ["Media", 8],
  ["Logistics", 8],
  ["Professional Services", 6],
  ["Travel", 4],
];
// Enterprise deals come from sales-led channels, SMB from self-serve ones.
const CHANNELS_BY_TIER: Readonly<Record<Tier, Weights<Channel>>> = {
  smb: [
    ["organic", 36],
    ["paid_search", 30],
    ["paid_social", 24],
    ["partner", 7],
    ["outbound", 2],
    ["events", 1],
  ],
  "mid-market": [
    ["organic", 20],
    ["paid_search", 22],
    ["paid_social", 6],
    ["partner", 15],
    ["outbound", 25],
    ["events", 12],
  ],
  enterprise: [
    ["organic", 8],
    ["paid_search", 4],
    ["paid_social", 1],
    ["partner", 17],
    ["outbound", 42],
    ["events", 28],
  ],
};
const BUNDLE_SIZE: Readonly<Record<Tier, Weights<number>>> = {
  smb: [
    [1, 68],
    [2, 22],
    [3, 10],
  ],
  "mid-market": [
    [1, 55],
    [2, 30],
    [3, 15],
  ],
  enterprise: [
    [1, 50],
    [2, 35],
    [3, 15],
  ],
};
const SINGLES: Weights<string[]> = [
  [["analytics"], 65],
  [["automation"], 25],
  [["data-platform"], 10],
];
const PAIRS: Weights<string[]> = [
  [["analytics", "automation"], 60],
  [["analytics", "data-platform"], 30],
  [["automation", "data-platform"], 10],
];
const DISCOUNTS: Readonly<Record<Tier, Weights<number>>> = {
  smb: [
    [0, 85],
    [10, 10],
    [20, 5],
  ],
  "mid-market": [
    [0, 50],
    [5, 10],
    [10, 25],
    [15, 10],
    [20, 5],
  ],
  enterprise: [
    [0, 10],
    [10, 25],
    [15, 25],
    [20, 25],
    [25, 10],
    [30, 5],
  ],
};
const TRIALS: Readonly<Record<Tier, Weights<TrialKind>>> = {
  smb: [
    ["converted", 45],
    ["lost", 12],
    ["none", 43],
  ],
  "mid-market": [
    ["converted", 25],
    ["lost", 6],
    ["none", 69],
  ],
  enterprise: [
    ["converted", 5],
    ["lost", 1],
    ["none", 94],
  ],
};
const ANNUAL_SHARE: Readonly<Record<Tier, number>> = { smb: 0.25, "mid-market": 0.5, enterprise: 0.9 };

function logUniform(rng: Rng, min: number, max: number): number {
  return Math.round(Math.exp(rng.float(Math.log(min), Math.log(max))));
}

function seatsFor(rng: Rng, tier: Tier): number {
  if (tier === "smb") return Math.min(25, 1 + Math.floor(Math.exp(1.1 + 0.6 * rng.normal())));
  if (tier === "mid-market") return Math.min(120, Math.max(8, Math.round(Math.exp(3 + 0.5 * rng.normal()))));
  return Math.min(600, Math.max(25, Math.round(Math.exp(4.1 + 0.6 * rng.normal()))));
}

function editionFor(rng: Rng, tier: Tier): Edition {
  if (tier === "smb") return rng.chance(0.8) ? "starter" : "growth";
  if (tier === "mid-market") {
    return rng.weighted<Edition>([
      ["starter", 10],
      ["growth", 85],
      ["enterprise", 5],
    ]);
  }
  return rng.chance(0.85) ? "enterprise" : "growth";
}

function currencyFor(rng: Rng, region: Region): DemoCurrency {
  if (region === "EMEA") return rng.chance(0.85) ? "EUR" : "USD";
  if (region === "APAC") return rng.chance(0.45) ? "CNY" : "USD";
  return "USD";
}

function ownerFor(rng: Rng, tier: Tier): string {
  // First four CSMs run enterprise, last four mid-market; most SMB is pooled tech-touch.
  if (tier === "enterprise") return CSM_NAMES[rng.int(0, 3)] ?? TECH_TOUCH_OWNER;
  if (tier === "mid-market" || rng.chance(0.12)) return CSM_NAMES[rng.int(4, 7)] ?? TECH_TOUCH_OWNER;
  return TECH_TOUCH_OWNER;
}

function utmFor(
  rng: Rng,
  channel: Channel,
  monthIndex: number,
  industry: string,
): Pick<AccountProfile, "utmSource" | "utmMedium" | "utmCampaign"> {
  const year = monthOfIndex(monthIndex).slice(0, 4);
  const quarter = `${year}q${Math.floor((monthIndex % 12) / 3) + 1}`;
  switch (channel) {
    case "organic":
      return rng.chance(0.3)
        ? { utmSource: null, utmMedium: null, utmCampaign: null }
        : { utmSource: rng.pick(["google", "bing", "blog", "g2"]), utmMedium: "organic", utmCampaign: null };
    case "paid_search":
      return {
        utmSource: rng.chance(0.8) ? "google" : "bing",
        utmMedium: "cpc",
        utmCampaign: `${rng.pick(["brand", "analytics-software", "dashboard-tool", "competitor"])}-${quarter}`,
      };
    case "paid_social":
      return {
        utmSource: rng.pick(["linkedin", "facebook", "twitter"]),
        utmMedium: "paid_social",
        utmCampaign: `${rng.pick(["free-trial", "webinar", "case-study"])}-${quarter}`,
      };
    case "partner":
      return { utmSource: rng.pick(PARTNER_NAMES), utmMedium: "referral", utmCampaign: "partner-program" };
    case "outbound":
      return {
        utmSource: "sdr",
        utmMedium: "email",
        utmCampaign: `outbound-${industry.toLowerCase().replace(/\s+/g, "-")}-${year}`,
      };
    case "events": {
      const event = rng.pick(EVENT_NAMES);
      return { utmSource: event, utmMedium: "event", utmCampaign: `${event}-${year}` };
    }
  }
}

/** Draws an account's attributes and its initial subscription configuration. */
export function drawProfile(rng: Rng, acquiredMonthIndex: number): AccountProfile {
  const partner = rng.chance(0.01);
  const tier: Tier = partner ? "mid-market" : rng.weighted(TIERS);
  const region = rng.weighted(REGIONS);
  const currency = currencyFor(rng, region);
  const industry = rng.weighted(INDUSTRIES);
  const employees =
    tier === "smb"
      ? logUniform(rng, 5, 200)
      : tier === "mid-market"
        ? logUniform(rng, 200, 2000)
        : logUniform(rng, 2000, 50000);
  const owner = ownerFor(rng, tier);
  const channel: Channel = partner ? "partner" : rng.weighted(CHANNELS_BY_TIER[tier]);
  const utm = utmFor(rng, channel, acquiredMonthIndex, industry);
  const size = partner ? 3 : rng.weighted(BUNDLE_SIZE[tier]);
  const products =
    size === 1
      ? rng.weighted(SINGLES)
      : size === 2
        ? rng.weighted(PAIRS)
        : ["analytics", "automation", "data-platform"];
  return {
    tier,
    region,
    currency,
    industry,
    employees,
    owner,
    channel,
    ...utm,
    interval: partner || rng.chance(ANNUAL_SHARE[tier]) ? "year" : "month",
    edition: partner ? "growth" : editionFor(rng, tier),
    products: [...products],
    seats: partner ? rng.int(3, 10) : seatsFor(rng, tier),
    discountPct: partner ? 100 : rng.weighted(DISCOUNTS[tier]),
    partner,
    trial: partner ? "none" : rng.weighted(TRIALS[tier]),
  };
}
