import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { type RoiLine, useCsRoi } from "./effects-api";

/** CS ROI per team or per CSM: ARR saved and expanded against the save-campaign cost spent on the book. */
export function RoiCard() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useCsRoi();
  const [by, setBy] = useState<"teams" | "members">("teams");
  const rows: RoiLine[] = query.data?.[by] ?? [];
  const name = (l: RoiLine) => (l.id === null ? t("effects.roi.unassigned") : l.name);
  return (
    <Card
      title={t("effects.roi.title")}
      subtitle={t("effects.roi.subtitle")}
      testId="effects-roi"
      actions={
        <div className="table-toggle" title={t("effects.roi.by")}>
          {(["teams", "members"] as const).map((k) => (
            <button
              key={k}
              type="button"
              className={by === k ? "button button-small button-primary" : "button button-small"}
              aria-pressed={by === k}
              onClick={() => setBy(k)}
              data-testid={`effects-roi-${k}`}
            >
              {t(`effects.roi.${k}`)}
            </button>
          ))}
        </div>
      }
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data === undefined ? (
        <ChartSkeleton height={120} />
      ) : rows.length === 0 ? (
        <EmptyState>{t("effects.roi.empty")}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="effects-roi-table">
            <thead>
              <tr>
                <th scope="col">{t(by === "teams" ? "effects.roi.team" : "effects.roi.csm")}</th>
                <th scope="col" className="num">
                  {t("effects.roi.accounts")}
                </th>
                <th scope="col" className="num">
                  {t("effects.roi.arrSaved")}
                </th>
                <th scope="col" className="num">
                  {t("effects.roi.arrExpanded")}
                </th>
                <th scope="col" className="num">
                  {t("effects.roi.cost")}
                </th>
                <th scope="col" className="num">
                  {t("effects.roi.roi")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l.id ?? "unassigned"} data-id={l.id ?? ""} data-roi={l.roi ?? ""}>
                  <td>{name(l)}</td>
                  <td className="num">{fmt.number(l.accounts)}</td>
                  <td className="num">{fmt.currency(l.arrSaved)}</td>
                  <td className="num">{fmt.currency(l.arrExpanded)}</td>
                  <td className="num">{fmt.currency(l.cost)}</td>
                  <td className="num">{l.roi === null ? fmt.missing : `×${fmt.number(l.roi, 2)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{t("effects.roi.note")}</p>
    </Card>
  );
}
