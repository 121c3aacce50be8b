import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccountListRow } from "../../api/account-types";
import { BookChips, useBookScope } from "../../auth/book-chips";
import { type BookScope, useCan } from "../../auth/permissions";
import { ExportButton } from "../../components/export-button";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type VirtualColumn, VirtualTable } from "../../components/virtual-table";
import { useFormatters } from "../../lib/use-formatters";
import { useOnboardingProgress } from "../success-plans/api";
import { useTeam } from "../tasks/api";
import { useSetOwners } from "../team/api";
import { OwnerSelect, ownerTarget } from "../team/owner-select";
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
  const setBook = useCallback(
    (book: BookScope, replace = false) =>
      void navigate({ search: (previous) => clean({ ...previous, book }), replace }),
    [navigate],
  );
  const book = useBookScope(search.book, setBook);
  const query = useAccounts(search, book.filter);

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
  const canMove = useCan()("team.manage");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // A new filter is a new list: a selection made in the old one is not carried over unseen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the search changes, by design
  useEffect(() => setSelected(new Set()), [search]);
  const picked = useMemo(() => rows.filter((r) => selected.has(r.id)).map((r) => r.id), [rows, selected]);
  const columns = useMemo(() => {
    const allOn = rows.length > 0 && picked.length === rows.length;
    const toggle = (id: string) =>
      setSelected((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    const select: VirtualColumn<AccountListRow> = {
      key: "select",
      width: "36px",
      header: (
        <span className="cell-select">
          <input
            type="checkbox"
            checked={allOn}
            ref={(el) => {
              if (el) el.indeterminate = picked.length > 0 && !allOn;
            }}
            onChange={() => setSelected(allOn ? new Set() : new Set(rows.map((r) => r.id)))}
            aria-label={t("team.bulk.selectAll", { count: rows.length })}
            data-testid="accounts-select-all"
          />
        </span>
      ),
      render: (row) => (
        <span className="cell-select">
          <input
            type="checkbox"
            checked={selected.has(row.id)}
            onChange={() => toggle(row.id)}
            aria-label={t("team.bulk.selectOne", { name: row.name })}
            data-testid="account-select"
          />
        </span>
      ),
    };
    // The tick column's room comes out of the name and stage columns (the renewal date also gets the room a
    // Chinese date needs), so the other columns keep their width.
    const widths: Record<string, string> = { name: "20%", renewalDate: "14%", stage: "12%" };
    const rest = accountColumns(t, fmt, onboardingById).map((c) =>
      widths[c.key] ? { ...c, width: widths[c.key] as string } : c,
    );
    // Ticking rows is for moving them between books: only team managers (and admins) may.
    return canMove ? [select, ...rest] : rest;
  }, [t, fmt, onboardingById, rows, selected, picked, canMove]);

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
          <BookChips scope={book.scope} choices={book.choices} locked={book.locked} onChange={setBook} />
          <SavedViews search={search} onApply={onApply} />
          <ExportButton
            table="accounts"
            query={{
              search: search.q,
              owner: search.owner ?? book.filter.owner,
              team: book.filter.team,
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
      <BulkReassign accountIds={picked} onDone={() => setSelected(new Set())} />
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

/** "Reassign to…" for the rows ticked in the list (POST /api/team/owners); the list shows the new owner. */
function BulkReassign({ accountIds, onDone }: { accountIds: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const team = useTeam();
  const setOwners = useSetOwners();
  const [choice, setChoice] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const to = ownerTarget(choice);
  if (accountIds.length === 0)
    return notice ? (
      <p className="team-notice" role="status" data-testid="bulk-notice">
        {notice}
      </p>
    ) : null;
  const targetName = (): string => {
    if (to === null) return "";
    const data = team.data;
    if ("ownerId" in to) return data?.members.find((m) => m.id === to.ownerId)?.name ?? to.ownerId;
    return t("team.poolOf", { team: data?.teams.find((x) => x.id === to.teamId)?.name ?? "" });
  };
  return (
    <div className="bulk-bar" data-testid="bulk-bar" data-count={accountIds.length}>
      <strong>{t("team.bulk.selected", { count: accountIds.length })}</strong>
      {team.data ? (
        <OwnerSelect
          teams={team.data.teams}
          members={team.data.members}
          value={choice}
          onChange={setChoice}
          label={t("team.reassignTo")}
          placeholder={t("team.reassignTo")}
          testId="bulk-owner"
        />
      ) : null}
      <button
        type="button"
        className="button button-primary button-small"
        disabled={to === null || setOwners.isPending}
        onClick={() => {
          if (to === null) return;
          const name = targetName();
          setOwners.mutate(
            { accountIds, to },
            {
              onSuccess: (res) => {
                setNotice(t("team.bulk.done", { count: res.changed, to: name }));
                setChoice("");
                onDone();
              },
            },
          );
        }}
        data-testid="bulk-apply"
      >
        {t("team.bulk.apply")}
      </button>
      <button type="button" className="button button-ghost button-small" onClick={onDone}>
        {t("team.bulk.clear")}
      </button>
      {setOwners.error ? <ErrorBanner error={setOwners.error} /> : null}
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
