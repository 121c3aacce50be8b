import type { Account } from "../types";
import type { MetricValues } from "./metric-catalog";
import type { Scorecard } from "./scorecard-types";

/** Test-only builders (not exported from the package). */

export function account(partial: Partial<Account> = {}): Account {
  return {
    id: "acc-1",
    name: "Acme",
    crmId: null,
    billingId: null,
    tier: null,
    segment: null,
    industry: null,
    region: null,
    owner: null,
    lifecycleStage: null,
    channel: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    tags: [],
    customFields: {},
    ...partial,
  };
}

/** A small two-dimension scorecard whose numbers are easy to check by hand. */
export function simpleScorecard(): Scorecard {
  return {
    id: "simple",
    name: "Simple",
    version: 1,
    bands: { red: 40, yellow: 70 },
    profiles: [
      {
        id: "default",
        name: "Default",
        appliesTo: [],
        dimensions: [
          {
            key: "people",
            label: "People",
            weight: 1,
            measures: [
              {
                key: "roles",
                label: "Roles",
                metric: "keyRoleCoverage",
                weight: 1,
                scoring: { type: "linear", worst: 0, best: 1 },
              },
              {
                key: "touch",
                label: "Touch",
                metric: "daysSinceLastTouch",
                weight: 1,
                scoring: { type: "linear", worst: 100, best: 0 },
              },
            ],
          },
          {
            key: "product",
            label: "Product",
            weight: 3,
            measures: [
              {
                key: "seats",
                label: "Seats",
                metric: "seatUtilisation",
                weight: 1,
                scoring: { type: "linear", worst: 0, best: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Metrics of a clearly healthy account. */
export const HEALTHY: MetricValues = {
  keyRoleCoverage: 1,
  daysSinceLastTouch: 7,
  championPresent: 1,
  activeUsers30d: 40,
  activeUsersTrend: 1.1,
  seatUtilisation: 0.9,
  keyFeatureAdoption: 0.8,
  activeDepartments: 4,
  ticketsLast30d: 1,
  openUrgentTickets: 0,
  daysSinceLastLogin: 0,
  discountPct: 5,
  paymentIssues90d: 0,
  mrrTrend3m: 1.1,
  npsScore: 9,
};

/** Metrics of a clearly unhealthy account (seed 004: usage shrank to two people, no champion). */
export const UNHEALTHY: MetricValues = {
  keyRoleCoverage: 0,
  daysSinceLastTouch: 150,
  championPresent: 0,
  activeUsers30d: 2,
  activeUsersTrend: 0.4,
  seatUtilisation: 0.1,
  keyFeatureAdoption: 0.05,
  activeDepartments: 1,
  ticketsLast30d: 20,
  openUrgentTickets: 3,
  daysSinceLastLogin: 25,
  discountPct: 45,
  paymentIssues90d: 2,
  mrrTrend3m: 0.7,
  npsScore: 3,
};
