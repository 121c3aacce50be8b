import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AccountListRow } from "../../api/account-types";
import { ExportButton } from "../../components/export-button";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { VirtualTable } from "../../components/virtual-table";
import { useFormatters } from "../../lib/use-formatters";
import { useOnboardingProgress } from "../success-plans/api";
import { accountColumns } from "./account-columns";
import { AccountsFilterBar } from "./accounts-filter-bar";
import { useAccounts } from "./queries";
import { SavedViews } from "./saved-views";
import { type AccountsSearch, matchesClientFilters, type SortKey } from "./search";

// Text columns read naturally A→Z; figures biggest first.
const ASCENDING_FIRST: ReadonlySet<string> = new Set(["name", "renewalDate", "score"]);

/** The accounts list: filters, saved views and a virtualised, sortable table. */
export function AccountsPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const search = useSearch({ from: "/accounts" });
  const navigate = useNavigate({ from: "/accounts" });
  const query = useAccounts(search);

  const onChange = useCallback(
    (patch: Partial<AccountsSearch>) => {
      // Editing filters by hand leaves the saved view.
      void navigate({ search: (previous) => clean({ ...previous, view: undefined, ...patch }) });
    },
    [navigate],
  );
  const onApply = useCallback((next: AccountsSearch) => void navigate({ search: clean(next) }), [navigate]);

  const sort = { key: search.sort ?? "arr", order: search.order ?? "desc" } as const;
  const onSort = (key: string) => {
    const order =
      key === sort.key ? (sort.order === "asc" ? "desc" : "asc") : ASCENDING_FIRST.has(key) ? "asc" : "desc";
    void navigate({ search: (previous) => clean({ ...previous, sort: key as SortKey, order }) });
  };

  const rows = useMemo(() => {
    const now = Date.now();
    return (query.data?.accounts ?? []).filter((row) => matchesClientFilters(row, search, now));
  }, [query.data, search]);
  const onboarding = useOnboardingProgress();
  const onboardingById = useMemo(
    () => new Map((onboarding.data?.accounts ?? []).map((a) => [a.accountId, a])),
    [onboarding.data],
  );
  const columns = useMemo(() => accountColumns(t, fmt, onboardingById), [t, fmt, onboardingById]);

  return (
    <div className="page" data-testid="accounts-page">
      <div className="page-header">
        <h1 className="page-title">{t("accounts.title")}</h1>
        {query.data ? (
          <span className="muted" data-testid="accounts-count" data-value={rows.length}>
            {t("accounts.count", { count: rows.length })}
          </span>
        ) : null}
        <div className="page-header-actions">
          <SavedViews search={search} onApply={onApply} />
          <ExportButton
            table="accounts"
            query={{
              search: search.q,
              owner: search.owner,
              stage: search.stage,
              band: search.band,
              tier: search.tier,
              segment: search.segment,
              renewal: search.renewal,
              signals: search.signals,
              sort: search.sort,
              order: search.order,
            }}
          />
        </div>
      </div>
      <AccountsFilterBar search={search} onChange={onChange} />
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      <section className="card table-card" aria-label={t("accounts.title")}>
        {query.isPending ? (
          <div className="stack card-body" role="status" aria-label={t("app.loading")}>
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} height={28} />
            ))}
          </div>
        ) : rows.length === 0 && query.isSuccess ? (
          <EmptyState testId="accounts-empty">{t("accounts.empty")}</EmptyState>
        ) : (
          <VirtualTable<AccountListRow>
            rows={rows}
            columns={columns}
            rowKey={(row) => row.id}
            rowProps={(row) => ({ "data-account-id": row.id, "data-testid": "account-row" })}
            sort={sort}
            onSort={onSort}
            height={640}
            caption={t("accounts.title")}
            testId="accounts-table"
          />
        )}
      </section>
    </div>
  );
}

function clean(search: AccountsSearch): AccountsSearch {
  const next: AccountsSearch = {};
  for (const [key, value] of Object.entries(search) as [keyof AccountsSearch, string | undefined][]) {
    if (value !== undefined && value !== "") (next as Record<string, string>)[key] = value;
  }
  return next;
}
