import { useTranslation } from "react-i18next";
import type { MetricsResponse, MovementKind } from "../../api/types";
import { useFormatters } from "../../lib/use-formatters";
import { MOVEMENT_COLORS } from "./colors";

const KINDS: readonly MovementKind[] = ["new", "expansion", "contraction", "churn", "reactivation"];

/** One row per month with every movement, net and MRR; non-zero movements open the drill-down. */
export function MovementsTable({
  data,
  onSelect,
}: {
  data: MetricsResponse;
  onSelect: (month: string, kind: MovementKind) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormatters(data.currency);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="movements-table">
        <caption className="visually-hidden">{t("movements.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("movements.month")}</th>
            {KINDS.map((kind) => (
              <th key={kind} scope="col" className="num">
                <span className="swatch" style={{ background: MOVEMENT_COLORS[kind] }} aria-hidden="true" />
                {t(`movements.kinds.${kind}`)}
              </th>
            ))}
            <th scope="col" className="num">
              {t("movements.net")}
            </th>
            <th scope="col" className="num">
              {t("movements.mrr")}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.months.map((m) => (
            <tr key={m.month} data-month={m.month} data-month-to-date={m.month === data.monthToDate}>
              <th scope="row">
                {fmt.month(m.month)}
                {m.month === data.monthToDate ? (
                  <span className="badge badge-muted mtd-badge">{t("revenue.mtdShort")}</span>
                ) : null}
              </th>
              {KINDS.map((kind) => (
                <td key={kind} className="num" data-kind={kind} data-value={m[kind]}>
                  {m[kind] === 0 ? (
                    <span className="muted">{fmt.currency(0)}</span>
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onSelect(m.month, kind)}
                      aria-label={t("movements.openDrilldown", {
                        kind: t(`movements.kinds.${kind}`),
                        month: fmt.month(m.month),
                      })}
                    >
                      {fmt.signedCurrency(m[kind])}
                    </button>
                  )}
                </td>
              ))}
              <td className="num strong" data-kind="net" data-value={m.netMovement}>
                {fmt.signedCurrency(m.netMovement)}
              </td>
              <td className="num" data-kind="mrr" data-value={m.mrr}>
                {fmt.currency(m.mrr)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
