import type { Dimension, Measure, Scorecard } from "./scorecard-types";

/**
 * The default scorecard: seed 000's three dimensions, people (建联: key roles covered, last touch),
 * product (事: usage, its trend, stability) and money (钱: discount risk, payment issues, MRR trend).
 * Enterprise accounts are high-touch, so relationships weigh most and contact must be recent; other
 * accounts are tech-touch, so product usage weighs most (seed 000 "大客户与小客户差异化运营").
 */

const keyRoles = (weight: number): Measure => ({
  key: "keyRoleCoverage",
  label: "Key roles covered",
  metric: "keyRoleCoverage",
  weight,
  scoring: { type: "linear", worst: 0, best: 1 },
});

const champion = (weight: number): Measure => ({
  key: "championPresent",
  label: "Champion present",
  metric: "championPresent",
  weight,
  scoring: {
    type: "steps",
    steps: [
      { max: 1, score: 0 },
      { min: 1, score: 100 },
    ],
  },
});

const activeUsersTrend = (weight: number): Measure => ({
  key: "activeUsersTrend",
  label: "Active users trend",
  metric: "activeUsersTrend",
  weight,
  scoring: { type: "linear", worst: 0.5, best: 1.05 },
});

const seatUtilisation = (weight: number): Measure => ({
  key: "seatUtilisation",
  label: "Seat utilisation",
  metric: "seatUtilisation",
  weight,
  scoring: { type: "linear", worst: 0.2, best: 0.8 },
});

const keyFeatures = (weight: number): Measure => ({
  key: "keyFeatureAdoption",
  label: "Key feature adoption",
  metric: "keyFeatureAdoption",
  weight,
  scoring: { type: "linear", worst: 0.1, best: 0.7 },
});

const lastLogin = (weight: number): Measure => ({
  key: "daysSinceLastLogin",
  label: "Days since last login",
  metric: "daysSinceLastLogin",
  weight,
  scoring: { type: "linear", worst: 30, best: 3 },
});

const urgentTickets = (weight: number): Measure => ({
  key: "openUrgentTickets",
  label: "Open urgent tickets",
  metric: "openUrgentTickets",
  weight,
  scoring: {
    type: "steps",
    steps: [
      { max: 1, score: 100 },
      { min: 1, max: 2, score: 60 },
      { min: 2, max: 3, score: 30 },
      { min: 3, score: 0 },
    ],
  },
});

const tickets = (weight: number): Measure => ({
  key: "ticketsLast30d",
  label: "Tickets (30 days)",
  metric: "ticketsLast30d",
  weight,
  scoring: { type: "linear", worst: 15, best: 2 },
});

/** Money is the same for every profile: seed 000's discount risk plus payments, MRR trend, NPS. */
const money = (weight: number): Dimension => ({
  key: "money",
  label: "Money",
  weight,
  measures: [
    {
      key: "discountPct",
      label: "Discount",
      metric: "discountPct",
      weight: 30,
      scoring: { type: "linear", worst: 40, best: 10 },
    },
    {
      key: "paymentIssues90d",
      label: "Payment issues (90 days)",
      metric: "paymentIssues90d",
      weight: 25,
      scoring: {
        type: "steps",
        steps: [
          { max: 1, score: 100 },
          { min: 1, max: 2, score: 50 },
          { min: 2, score: 0 },
        ],
      },
    },
    {
      key: "mrrTrend3m",
      label: "MRR trend (3 months)",
      metric: "mrrTrend3m",
      weight: 30,
      scoring: { type: "linear", worst: 0.8, best: 1.05 },
    },
    {
      key: "npsScore",
      label: "NPS answer",
      metric: "npsScore",
      weight: 15,
      scoring: { type: "linear", worst: 4, best: 9 },
    },
  ],
});

/** Default health scorecard (bands 40 / 70): "enterprise" (tier=enterprise) and the tech-touch default. */
export const DEFAULT_SCORECARD: Scorecard = {
  id: "default",
  name: "Default health score",
  version: 1,
  bands: { red: 40, yellow: 70 },
  profiles: [
    {
      id: "enterprise",
      name: "Enterprise (high-touch)",
      appliesTo: [{ attribute: "tier", value: "enterprise" }],
      dimensions: [
        {
          key: "people",
          label: "People",
          weight: 40,
          measures: [
            keyRoles(45),
            {
              key: "daysSinceLastTouch",
              label: "Days since last touch",
              metric: "daysSinceLastTouch",
              weight: 35,
              scoring: {
                type: "steps",
                steps: [
                  { max: 15, score: 100 },
                  { min: 15, max: 30, score: 80 },
                  { min: 30, max: 60, score: 50 },
                  { min: 60, max: 90, score: 25 },
                  { min: 90, score: 0 },
                ],
              },
            },
            champion(20),
          ],
        },
        {
          key: "product",
          label: "Product",
          weight: 35,
          measures: [
            activeUsersTrend(25),
            seatUtilisation(15),
            keyFeatures(15),
            {
              key: "activeDepartments",
              label: "Active departments",
              metric: "activeDepartments",
              weight: 15,
              scoring: {
                type: "steps",
                steps: [
                  { max: 1, score: 0 },
                  { min: 1, max: 2, score: 30 },
                  { min: 2, max: 3, score: 60 },
                  { min: 3, score: 100 },
                ],
              },
            },
            urgentTickets(15),
            tickets(5),
            lastLogin(10),
          ],
        },
        money(25),
      ],
    },
    {
      id: "default",
      name: "Default (tech-touch)",
      appliesTo: [],
      dimensions: [
        {
          key: "people",
          label: "People",
          weight: 20,
          measures: [
            keyRoles(40),
            {
              key: "daysSinceLastTouch",
              label: "Days since last touch",
              metric: "daysSinceLastTouch",
              weight: 30,
              scoring: {
                type: "steps",
                steps: [
                  { max: 30, score: 100 },
                  { min: 30, max: 90, score: 70 },
                  { min: 90, max: 180, score: 40 },
                  { min: 180, score: 10 },
                ],
              },
            },
            champion(30),
          ],
        },
        {
          key: "product",
          label: "Product",
          weight: 50,
          measures: [
            {
              key: "activeUsers30d",
              label: "Active users (28 days)",
              metric: "activeUsers30d",
              weight: 10,
              scoring: {
                type: "steps",
                steps: [
                  { max: 1, score: 0 },
                  { min: 1, max: 2, score: 40 },
                  { min: 2, max: 5, score: 75 },
                  { min: 5, score: 100 },
                ],
              },
            },
            activeUsersTrend(25),
            seatUtilisation(15),
            keyFeatures(20),
            lastLogin(15),
            urgentTickets(10),
            tickets(5),
          ],
        },
        money(30),
      ],
    },
  ],
};
