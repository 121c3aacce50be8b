import { useTranslation } from "react-i18next";
import type { MovementKind } from "../../api/types";
import { Drawer } from "../../components/drawer";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { AccountLink } from "../accounts/health-badges";
import { useMovements } from "./queries";

interface MovementDrilldownProps {
  month: string;
  kind: MovementKind;
  segment: string | undefined;
  onClose: () => void;
}

/** Side panel listing the accounts behind one month's movement of one kind. */
export function MovementDrilldown({ month, kind, segment, onClose }: MovementDrilldownProps) {
  const { t } = useTranslation();
  const query = useMovements(month, kind, segment);
  const fmt = useFormatters(query.data?.currency);
  const rows = [...(query.data?.movements ?? [])].sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount));
  const total = rows.reduce((sum, row) => sum + row.amount, 0);
  const title = t("drilldown.title", { kind: t(`movements.kinds.${kind}`), month: fmt.month(month) });

  return (
    <Drawer
      title={title}
      subtitle={
        query.data
          ? `${t("drilldown.count", { count: rows.length })} · ${fmt.signedCurrency(total)}`
          : undefined
      }
      onClose={onClose}
      testId="movement-drilldown"
    >
      <div data-month={month} data-kind={kind} className="drilldown-content">
        {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
        {query.isPending ? (
          <div role="status" aria-label={t("app.loading")} className="stack">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} height={20} />
            ))}
          </div>
        ) : null}
        {query.data && rows.length === 0 ? <EmptyState>{t("drilldown.empty")}</EmptyState> : null}
        {rows.length > 0 ? (
          <table className="table" data-testid="movement-drilldown-table">
            <thead>
              <tr>
                <th scope="col">{t("drilldown.account")}</th>
                <th scope="col" className="num">
                  {t("drilldown.amount")}
                </th>
                <th scope="col" className="num">
                  {t("drilldown.before")}
                </th>
                <th scope="col" className="num">
                  {t("drilldown.after")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.accountId} data-account-id={row.accountId} data-value={row.amount}>
                  <th scope="row">
                    <AccountLink id={row.accountId} name={row.accountName} />
                    <div className="muted small">{row.accountId}</div>
                  </th>
                  <td className={row.amount < 0 ? "num negative" : "num positive"}>
                    {fmt.signedCurrency(row.amount)}
                  </td>
                  <td className="num">{fmt.currency(row.mrrBefore)}</td>
                  <td className="num">{fmt.currency(row.mrrAfter)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("drilldown.total")}</th>
                <td className="num strong" data-testid="movement-drilldown-total" data-value={total}>
                  {fmt.signedCurrency(total)}
                </td>
                <td />
                <td />
              </tr>
            </tfoot>
          </table>
        ) : null}
      </div>
    </Drawer>
  );
}
