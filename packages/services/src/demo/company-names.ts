import type { DemoCurrency } from "./catalog";
import type { Rng } from "./prng";
import { COMPANY_NOUNS, COMPANY_PREFIXES, GENERIC_SUFFIXES, INDUSTRY_SUFFIXES } from "./word-lists";

export interface CompanyName {
  name: string;
  /** Email domain derived from the name: "Harbor Ridge Logistics" → "harborridge.com". */
  domain: string;
}

function tldFor(currency: DemoCurrency, rng: Rng): string {
  if (currency === "EUR") return rng.pick([".eu", ".de", ".fr", ".com"]);
  if (currency === "CNY") return ".cn";
  return rng.pick([".com", ".io", ".co"]);
}

/** Names handed out so far, and the last number used per base name for numbered variants. */
export interface NameRegistry {
  names: Set<string>;
  numbered: Map<string, number>;
}

/** A unique, plausible company name such as "Harbor Ridge Logistics" (never repeats within `used`). */
export function companyName(
  rng: Rng,
  industry: string,
  currency: DemoCurrency,
  used: NameRegistry,
): CompanyName {
  const suffixes = INDUSTRY_SUFFIXES[industry] ?? ["Group"];
  const tld = tldFor(currency, rng);
  for (let attempt = 0; attempt < 4; attempt++) {
    const prefix = rng.pick(COMPANY_PREFIXES);
    const noun = rng.pick(COMPANY_NOUNS);
    // The short forms have a small name space: after a collision use the three-word form, generic suffixes too.
    const form = attempt === 0 ? rng.next() : 0;
    const suffix =
      attempt === 0 ? rng.pick(suffixes) : rng.pick(rng.chance(0.5) ? suffixes : GENERIC_SUFFIXES);
    let name: string;
    let core: string;
    if (form < 0.6) {
      name = `${prefix} ${noun} ${suffix}`;
      core = `${prefix}${noun}`;
    } else if (form < 0.8) {
      name = `${prefix}${noun.toLowerCase()}`;
      core = name;
    } else {
      name = `${noun} ${suffix}`;
      core = `${noun}${suffix}`;
    }
    if (!used.names.has(name)) {
      used.names.add(name);
      return { name, domain: `${core.toLowerCase()}${tld}` };
    }
  }
  // Crowded name space (very large demos): a numbered variant, counted per base name, is still unique.
  const prefix = rng.pick(COMPANY_PREFIXES);
  const noun = rng.pick(COMPANY_NOUNS);
  const base = `${prefix} ${noun} ${rng.pick(suffixes)}`;
  let n = (used.numbered.get(base) ?? 1) + 1;
  while (used.names.has(`${base} ${n}`)) n++;
  used.numbered.set(base, n);
  const name = `${base} ${n}`;
  used.names.add(name);
  return { name, domain: `${prefix}${noun}${n}`.toLowerCase() + tld };
}
