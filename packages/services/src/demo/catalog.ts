import type { BillingInterval, Plan, Product } from "@tenure/core";

export type DemoCurrency = "USD" | "EUR" | "CNY";
export const DEMO_CURRENCIES: readonly DemoCurrency[] = ["USD", "EUR", "CNY"];

export type Edition = "starter" | "growth" | "enterprise";
export const EDITIONS: readonly Edition[] = ["starter", "growth", "enterprise"];

export type DemoInterval = Extract<BillingInterval, "month" | "year">;

export interface DemoProduct {
  id: string;
  name: string;
  /** USD per seat per month, by edition. */
  seatPrice: Readonly<Record<Edition, number>>;
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { id: "analytics", name: "Analytics", seatPrice: { starter: 15, growth: 35, enterprise: 70 } },
  { id: "automation", name: "Automation", seatPrice: { starter: 12, growth: 29, enterprise: 55 } },
  { id: "data-platform", name: "Data Platform", seatPrice: { starter: 20, growth: 45, enterprise: 90 } },
];

/** Local list prices: round numbers in each currency rather than converted USD. */
function localPrice(usd: number, currency: DemoCurrency): number {
  if (currency === "EUR") return Math.round(usd * 0.93);
  if (currency === "CNY") return Math.round((usd * 7) / 5) * 5;
  return usd;
}

const INTERVAL_LABEL: Readonly<Record<DemoInterval, string>> = { month: "Monthly", year: "Annual" };
const EDITION_LABEL: Readonly<Record<Edition, string>> = {
  starter: "Starter",
  growth: "Growth",
  enterprise: "Enterprise",
};

export function planId(
  productId: string,
  edition: Edition,
  interval: DemoInterval,
  currency: DemoCurrency,
): string {
  return `${productId}-${edition}-${interval === "month" ? "monthly" : "annual"}-${currency.toLowerCase()}`;
}

/** Price per seat per interval; annual plans cost ten months (two months free). */
export function planAmount(
  product: DemoProduct,
  edition: Edition,
  interval: DemoInterval,
  currency: DemoCurrency,
): number {
  const monthly = localPrice(product.seatPrice[edition], currency);
  return interval === "month" ? monthly : monthly * 10;
}

export interface Catalog {
  products: Product[];
  plans: Plan[];
  /** amount by plan id */
  amounts: Map<string, number>;
}

/** Builds every product and plan (product × edition × interval × currency). */
export function buildCatalog(): Catalog {
  const products: Product[] = DEMO_PRODUCTS.map((p) => ({ id: p.id, name: p.name }));
  const plans: Plan[] = [];
  const amounts = new Map<string, number>();
  for (const product of DEMO_PRODUCTS) {
    for (const edition of EDITIONS) {
      for (const interval of ["month", "year"] as const) {
        for (const currency of DEMO_CURRENCIES) {
          const id = planId(product.id, edition, interval, currency);
          const amount = planAmount(product, edition, interval, currency);
          amounts.set(id, amount);
          plans.push({
            id,
            productId: product.id,
            name: `${product.name} ${EDITION_LABEL[edition]} ${INTERVAL_LABEL[interval]} (${currency})`,
            interval,
            amount,
            currency,
          });
        }
      }
    }
  }
  return { products, plans, amounts };
}
