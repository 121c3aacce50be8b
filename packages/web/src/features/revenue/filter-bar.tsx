import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DateInput } from "../../components/date-input";
import { useCodeLabel } from "../../components/display-names";
import { isMonth } from "../../lib/months";
import { useSegments } from "./queries";
import { type RevenueSearch, splitSegment } from "./search";

interface FilterBarProps {
  search: RevenueSearch;
  /** The period the server actually reported, shown when the URL leaves it to the server. */
  shownRange: { from: string; to: string } | undefined;
  onChange: (patch: Partial<RevenueSearch>) => void;
}

/** Period (from/to months) and segment (attribute + value) pickers bound to the URL. */
export function FilterBar({ search, shownRange, onChange }: FilterBarProps) {
  const { t } = useTranslation();
  const segments = useSegments();
  const applied = splitSegment(search.segment);
  // An attribute picked without a value yet is not in the URL.
  const [pendingAttribute, setPendingAttribute] = useState<string | null>(null);
  const attribute = pendingAttribute ?? applied?.attribute ?? "";
  const attributes = segments.data?.attributes ?? [];
  const chosen = attributes.find((a) => a.attribute === attribute);
  const values = chosen?.values ?? [];
  const codeLabel = useCodeLabel();
  // Display names, never codes: a plan's or product's name, else the translated or humanised code.
  const valueLabel = (v: string) =>
    ["owner", "industry", "region", "segment", "tag"].includes(attribute)
      ? v
      : codeLabel(attribute, v, chosen?.labels?.[v]);
  const from = search.from ?? shownRange?.from ?? "";
  const to = search.to ?? shownRange?.to ?? "";

  const setFrom = (value: string) => {
    if (!isMonth(value)) return;
    onChange(to && value > to ? { from: value, to: value } : { from: value });
  };
  const setTo = (value: string) => {
    if (!isMonth(value)) return;
    onChange(from && value < from ? { from: value, to: value } : { to: value });
  };
  const setAttribute = (value: string) => {
    if (!value) {
      setPendingAttribute(null);
      onChange({ segment: undefined });
      return;
    }
    setPendingAttribute(value);
  };
  const setValue = (value: string) => {
    setPendingAttribute(null);
    onChange({ segment: value ? `${attribute}=${value}` : undefined });
  };
  const attributeLabel = (name: string) => t(`filters.attributes.${name}`, { defaultValue: name });
  const filtered = Boolean(search.from || search.to || search.segment || pendingAttribute);

  return (
    <fieldset className="filter-bar" data-testid="filter-bar">
      <legend className="visually-hidden">{t("filters.label")}</legend>
      <div className="filter-group">
        <span className="filter-label">{t("filters.period")}</span>
        <span className="inline-field">
          <DateInput
            kind="month"
            className="input input-month"
            value={from}
            max={to || undefined}
            onChange={setFrom}
            ariaLabel={t("filters.from")}
            testId="period-from"
          />
        </span>
        <span className="muted" aria-hidden="true">
          –
        </span>
        <span className="inline-field">
          <DateInput
            kind="month"
            className="input input-month"
            value={to}
            min={from || undefined}
            onChange={setTo}
            ariaLabel={t("filters.to")}
            testId="period-to"
          />
        </span>
      </div>
      <div className="filter-group">
        <span className="filter-label">{t("filters.segment")}</span>
        <select
          className="select"
          value={attribute}
          onChange={(e) => setAttribute(e.target.value)}
          aria-label={t("filters.segment")}
          data-testid="segment-attribute"
          disabled={segments.isPending}
        >
          <option value="">{t("filters.allAccounts")}</option>
          {attributes.map((a) => (
            <option key={a.attribute} value={a.attribute} disabled={a.values.length === 0}>
              {attributeLabel(a.attribute)}
            </option>
          ))}
        </select>
        {attribute ? (
          <select
            className="select"
            value={pendingAttribute ? "" : (applied?.value ?? "")}
            onChange={(e) => setValue(e.target.value)}
            aria-label={t("filters.value")}
            data-testid="segment-value"
          >
            <option value="" disabled>
              {t("filters.chooseValue")}
            </option>
            {/* A value from a shared URL may be unknown to this workspace: keep it selectable. */}
            {applied && !pendingAttribute && !values.includes(applied.value) ? (
              <option value={applied.value}>{valueLabel(applied.value)}</option>
            ) : null}
            {values.map((v) => (
              <option key={v} value={v}>
                {valueLabel(v)}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {filtered ? (
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            setPendingAttribute(null);
            onChange({ from: undefined, to: undefined, segment: undefined });
          }}
          data-testid="filters-reset"
        >
          {t("filters.reset")}
        </button>
      ) : null}
    </fieldset>
  );
}
