import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { LIFECYCLE_STAGES } from "../../api/account-types";
import { useSegments } from "../revenue/queries";
import { splitSegment } from "../revenue/search";
import { type AccountsSearch, BANDS, RENEWAL_WINDOWS, SIGNAL_FILTERS } from "./search";

interface AccountsFilterBarProps {
  search: AccountsSearch;
  onChange: (patch: Partial<AccountsSearch>) => void;
}

// Owner, tier and stage have their own pickers; the segment picker offers the other attributes.
const OWN_PICKERS = new Set(["owner", "tier", "lifecycleStage"]);

/** Search box and owner / stage / band / tier / segment / renewal / signal filters bound to the URL. */
export function AccountsFilterBar({ search, onChange }: AccountsFilterBarProps) {
  const { t } = useTranslation();
  const segments = useSegments();
  const attributes = segments.data?.attributes ?? [];
  const valuesOf = (name: string) => attributes.find((a) => a.attribute === name)?.values ?? [];
  const [query, setQuery] = useState(search.q ?? "");
  const applied = splitSegment(search.segment);
  const [pendingAttribute, setPendingAttribute] = useState<string | null>(null);
  const segmentAttribute = pendingAttribute ?? applied?.attribute ?? "";

  useEffect(() => setQuery(search.q ?? ""), [search.q]);

  // Typing narrows the list after a short pause instead of on every key.
  useEffect(() => {
    if (query === (search.q ?? "")) return;
    const timer = setTimeout(() => onChange({ q: query || undefined }), 250);
    return () => clearTimeout(timer);
  }, [query, search.q, onChange]);

  const select = (
    name: "owner" | "stage" | "band" | "tier" | "renewal" | "signals",
    options: readonly { value: string; label: string }[],
    label: string,
  ) => (
    <label className="inline-field">
      <span className="filter-label">{label}</span>
      <select
        className="select select-compact"
        value={search[name] ?? ""}
        onChange={(e) => onChange({ [name]: e.target.value || undefined })}
        data-testid={`filter-${name}`}
      >
        <option value="">{t("accounts.filters.any")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  const plain = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
  const filtered = Object.keys(search).some(
    (k) => k !== "sort" && k !== "order" && k !== "view" && k !== "book",
  );

  return (
    <fieldset className="filter-bar" data-testid="accounts-filters">
      <legend className="visually-hidden">{t("filters.label")}</legend>
      <input
        className="input input-search"
        type="search"
        value={query}
        placeholder={t("accounts.filters.search")}
        aria-label={t("accounts.filters.search")}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="filter-search"
      />
      {select("owner", plain(valuesOf("owner")), t("accounts.columns.owner"))}
      {select(
        "stage",
        LIFECYCLE_STAGES.map((s) => ({ value: s, label: t(`stages.${s}`) })),
        t("accounts.columns.stage"),
      )}
      {select(
        "band",
        BANDS.map((b) => ({ value: b, label: t(`health.bands.${b}`) })),
        t("accounts.filters.band"),
      )}
      {select("tier", plain(valuesOf("tier")), t("filters.attributes.tier"))}
      {select(
        "renewal",
        RENEWAL_WINDOWS.map((d) => ({
          value: d,
          label: t("accounts.filters.renewalWithin", { count: Number(d) }),
        })),
        t("accounts.columns.renewal"),
      )}
      {select(
        "signals",
        SIGNAL_FILTERS.map((s) => ({ value: s, label: t(`accounts.filters.signals.${s}`) })),
        t("accounts.columns.signals"),
      )}
      <span className="inline-field">
        <span className="filter-label">{t("filters.segment")}</span>
        <select
          className="select select-compact"
          value={segmentAttribute}
          onChange={(e) => {
            const value = e.target.value;
            if (!value) {
              setPendingAttribute(null);
              onChange({ segment: undefined });
            } else setPendingAttribute(value);
          }}
          aria-label={t("filters.segment")}
          data-testid="filter-segment-attribute"
        >
          <option value="">{t("accounts.filters.any")}</option>
          {attributes
            .filter((a) => !OWN_PICKERS.has(a.attribute))
            .map((a) => (
              <option key={a.attribute} value={a.attribute} disabled={a.values.length === 0}>
                {t(`filters.attributes.${a.attribute}`, { defaultValue: a.attribute })}
              </option>
            ))}
        </select>
        {segmentAttribute ? (
          <select
            className="select select-compact"
            value={pendingAttribute ? "" : (applied?.value ?? "")}
            onChange={(e) => {
              setPendingAttribute(null);
              onChange({ segment: e.target.value ? `${segmentAttribute}=${e.target.value}` : undefined });
            }}
            aria-label={t("filters.value")}
            data-testid="filter-segment-value"
          >
            <option value="" disabled>
              {t("filters.chooseValue")}
            </option>
            {valuesOf(segmentAttribute).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        ) : null}
      </span>
      {filtered ? (
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            setPendingAttribute(null);
            setQuery("");
            onChange({
              q: undefined,
              owner: undefined,
              stage: undefined,
              band: undefined,
              tier: undefined,
              segment: undefined,
              renewal: undefined,
              signals: undefined,
              view: undefined,
            });
          }}
          data-testid="filters-reset"
        >
          {t("filters.reset")}
        </button>
      ) : null}
    </fieldset>
  );
}
