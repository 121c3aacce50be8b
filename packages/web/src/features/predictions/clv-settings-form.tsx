import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useClvSettings, useSaveClvSettings } from "./queries";

/** Percent text typed by a person ("80", "80%", "7,5") to a fraction, or null when it is not one in (0, 100]. */
export function parsePercent(text: string): number | null {
  const v = Number(text.replace("%", "").replace(",", ".").trim());
  return Number.isFinite(v) && v > 0 && v <= 100 && text.trim() !== "" ? v / 100 : null;
}

/** The workspace's gross margin and discount rate of CLV, editable (stored per workspace). */
export function ClvSettingsForm() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useClvSettings();
  const save = useSaveClvSettings();
  const [margin, setMargin] = useState("");
  const [rate, setRate] = useState("");
  const [invalid, setInvalid] = useState<"margin" | "rate" | null>(null);
  const s = query.data;
  useEffect(() => {
    if (s === undefined) return;
    setMargin(String(Math.round(s.grossMargin * 1000) / 10));
    setRate(String(Math.round(s.annualDiscountRate * 1000) / 10));
  }, [s]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = parsePercent(margin);
    const r = parsePercent(rate);
    if (m === null) return setInvalid("margin");
    if (r === null) return setInvalid("rate");
    setInvalid(null);
    save.mutate({ grossMargin: m, annualDiscountRate: r });
  };
  return (
    <Card
      title={t("predictions.clvSettings.title")}
      subtitle={t("predictions.clvSettings.hint")}
      testId="clv-settings"
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      <form className="inline-form" onSubmit={submit} data-testid="clv-settings-form">
        <label className="inline-field">
          <span className="filter-label">{t("predictions.clvSettings.margin")}</span>
          <input
            className={invalid === "margin" ? "input input-invalid" : "input"}
            inputMode="decimal"
            value={margin}
            onChange={(e) => setMargin(e.target.value)}
            aria-invalid={invalid === "margin"}
            data-testid="clv-settings-margin"
          />
          <span className="muted small">%</span>
        </label>
        <label className="inline-field">
          <span className="filter-label">{t("predictions.clvSettings.rate")}</span>
          <input
            className={invalid === "rate" ? "input input-invalid" : "input"}
            inputMode="decimal"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            aria-invalid={invalid === "rate"}
            data-testid="clv-settings-rate"
          />
          <span className="muted small">%</span>
        </label>
        <button type="submit" className="button" disabled={save.isPending} data-testid="clv-settings-save">
          {t("predictions.clvSettings.save")}
        </button>
      </form>
      {invalid !== null ? (
        <p className="form-error" role="alert" data-testid="clv-settings-invalid">
          {t(`predictions.clvSettings.invalid.${invalid}`)}
        </p>
      ) : null}
      {save.isError ? <ErrorBanner error={save.error} /> : null}
      {s ? (
        <p className="muted small" data-testid="clv-settings-state">
          {s.source === "workspace"
            ? t("predictions.clvSettings.saved", {
                date: s.updatedAt === null ? fmt.missing : fmt.date(s.updatedAt),
              })
            : t("predictions.clvSettings.default")}
          {s.revenueLtv ? ` ${t("predictions.clvSettings.revenueLtvHint")}` : ""}
        </p>
      ) : null}
    </Card>
  );
}
