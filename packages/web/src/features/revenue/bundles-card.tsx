import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { useCodeLabel } from "../../components/display-names";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useBundles, useSegments } from "./queries";

/** LTV and retention by product combination. */
export function BundlesCard({ segment }: { segment: string | undefined }) {
  const { t } = useTranslation();
  const query = useBundles(segment);
  const data = query.data;
  const fmt = useFormatters(data?.currency);
  const money = (v: number | null) => (v === null ? fmt.missing : fmt.currency(v));
  const bundles = [...(data?.bundles ?? [])].sort((a, b) => (b.ltv ?? -1) - (a.ltv ?? -1));
  // Product names from the catalogue (the segment picker's labels), never product ids.
  const productNames = useSegments().data?.attributes.find((a) => a.attribute === "product")?.labels;
  const codeLabel = useCodeLabel();
  const productName = (id: string) => codeLabel("product", id, productNames?.[id]);

  return (
    <Card title={t("bundles.title")} subtitle={t("bundles.subtitle")} testId="bundles">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? (
        <div className="stack" role="status" aria-label={t("app.loading")}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={22} />
          ))}
        </div>
      ) : null}
      {data && bundles.length === 0 ? <EmptyState>{t("bundles.empty")}</EmptyState> : null}
      {bundles.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="bundles-table">
            <thead>
              <tr>
                <th scope="col">{t("bundles.bundle")}</th>
                <th scope="col" className="num">
                  {t("bundles.accounts")}
                </th>
                <th scope="col" className="num">
                  {t("bundles.active")}
                </th>
                <th scope="col" className="num">
                  {t("bundles.retention12")}
                </th>
                <th scope="col" className="num">
                  {t("bundles.arpa")}
                </th>
                <th scope="col" className="num">
                  {t("bundles.ltv")}
                </th>
                <th scope="col" className="num">
                  {t("bundles.ltvMultiple")}
                </th>
              </tr>
            </thead>
            <tbody>
              {bundles.map((b) => (
                <tr key={b.bundle} data-bundle={b.bundle}>
                  <th scope="row">
                    {b.products.length > 0 ? (
                      <div className="chips" title={b.products.map(productName).join(" + ")}>
                        {b.products.map((p) => (
                          <span key={p} className="chip">
                            {productName(p)}
                          </span>
                        ))}
                      </div>
                    ) : (
                      b.bundle
                    )}
                  </th>
                  <td className="num" data-value={b.accounts}>
                    {fmt.number(b.accounts)}
                  </td>
                  <td className="num" data-value={b.activeAccounts}>
                    {fmt.number(b.activeAccounts)}
                  </td>
                  <td className="num" data-value={b.retention12 ?? ""}>
                    {b.retention12 === null ? fmt.missing : fmt.percent(b.retention12, 1)}
                  </td>
                  <td className="num" data-value={b.arpa ?? ""}>
                    {money(b.arpa)}
                  </td>
                  <td className="num" data-value={b.ltv ?? ""}>
                    {money(b.ltv)}
                  </td>
                  <td className="num strong" data-value={b.ltvMultiple ?? ""}>
                    {b.ltvMultiple === null ? fmt.missing : fmt.ratio(b.ltvMultiple)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
