import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { WorklistRow } from "../../api/account-types";
import { BookChips, useBookScope } from "../../auth/book-chips";
import type { BookScope } from "../../auth/permissions";
import { ExportButton } from "../../components/export-button";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type VirtualColumn, VirtualTable } from "../../components/virtual-table";
import { useMessageRenderer } from "../../lib/messages";
import { useFormatters } from "../../lib/use-formatters";
import { useSegments } from "../revenue/queries";
import { SignalCounts } from "./account-columns";
import { AccountLink, HealthBadge, TrendArrow } from "./health-badges";
import { useWorklist } from "./queries";

const OWNER_KEY = "tenure.worklist.owner";

function storedOwner(): string {
  try {
    return localStorage.getItem(OWNER_KEY) ?? "";
  } catch {
    return "";
  }
}

/** "My accounts that need attention": red/yellow or at-risk accounts, by churn risk × ARR. */
export function WorklistPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const render = useMessageRenderer();
  const segments = useSegments();
  const owners = segments.data?.attributes.find((a) => a.attribute === "owner")?.values ?? [];
  const [owner, setOwner] = useState(storedOwner);
  const search = useSearch({ from: "/worklist" });
  const navigate = useNavigate({ from: "/worklist" });
  const setBook = useCallback(
    (book: BookScope, replace = false) => void navigate({ search: { book }, replace }),
    [navigate],
  );
  const book = useBookScope(search.book, setBook);
  // An owner picked by hand wins while the book is "all"; "My book" is the signed-in member's.
  const shown = book.scope === "mine" ? (book.filter.owner ?? owner) : owner;
  const query = useWorklist(shown || undefined, book.filter.team);
  const rows = query.data?.accounts ?? [];

  const chooseOwner = (value: string) => {
    setOwner(value);
    try {
      localStorage.setItem(OWNER_KEY, value);
    } catch {
      // Private mode: the choice is not remembered.
    }
  };

  const columns = useMemo<VirtualColumn<WorklistRow>[]>(
    () => [
      {
        key: "rank",
        header: "#",
        width: "4%",
        numeric: true,
        render: (row) => <span className="muted">{rows.indexOf(row) + 1}</span>,
      },
      {
        key: "name",
        header: t("accounts.columns.name"),
        width: "19%",
        render: (row) => (
          <div className="cell-account">
            <AccountLink id={row.id} name={row.name} />
            <span className="muted small">{row.owner ?? "—"}</span>
          </div>
        ),
      },
      {
        key: "score",
        header: t("accounts.columns.health"),
        width: "10%",
        render: (row) => (
          <span className="cell-health">
            <HealthBadge score={row.score} band={row.band} />
            <TrendArrow trend={row.trend} />
          </span>
        ),
      },
      {
        key: "arr",
        header: t("accounts.columns.arr"),
        width: "11%",
        numeric: true,
        render: (row) => fmt.currency(row.arr),
      },
      {
        key: "priority",
        header: t("worklist.priority"),
        width: "11%",
        numeric: true,
        render: (row) => <span data-value={row.priority}>{fmt.currency(row.priority)}</span>,
      },
      {
        key: "signals",
        header: t("accounts.columns.signals"),
        width: "8%",
        render: (row) => <SignalCounts row={row} />,
      },
      {
        key: "renewal",
        header: t("accounts.columns.renewal"),
        // A whole date in either language (2027年11月28日, Nov 28, 2027).
        width: "13%",
        render: (row) => (row.renewalDate ? fmt.date(row.renewalDate) : <span className="muted">—</span>),
      },
      {
        key: "reasons",
        header: t("worklist.reasons"),
        width: "24%",
        render: (row) => (
          <span className="reasons" title={row.reasons.map(render).join("\n")}>
            {row.reasons.map(render).join(" · ")}
          </span>
        ),
      },
    ],
    [t, fmt, rows, render],
  );

  return (
    <div className="page" data-testid="worklist-page">
      <div className="page-header">
        <h1 className="page-title">{t("worklist.title")}</h1>
        <span className="muted">{t("worklist.subtitle")}</span>
        <div className="page-header-actions">
          <BookChips scope={book.scope} choices={book.choices} locked={book.locked} onChange={setBook} />
          <ExportButton table="worklist" query={{ owner: shown, team: book.filter.team }} />
        </div>
      </div>
      <div className="filter-bar">
        <label className="inline-field">
          <span className="filter-label">{t("accounts.columns.owner")}</span>
          <select
            className="select select-compact"
            value={shown}
            onChange={(e) => {
              chooseOwner(e.target.value);
              if (book.scope === "mine" && book.choices.includes("all")) setBook("all");
            }}
            disabled={book.scope === "mine" && !book.choices.includes("all")}
            data-testid="worklist-owner"
          >
            <option value="">{t("worklist.allOwners")}</option>
            {shown && !owners.includes(shown) ? <option value={shown}>{shown}</option> : null}
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        {query.data ? (
          <span className="muted" data-testid="worklist-count" data-value={rows.length}>
            {t("accounts.count", { count: rows.length })}
          </span>
        ) : null}
      </div>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      <section className="card table-card" aria-label={t("worklist.title")}>
        {query.isPending ? (
          <div className="stack card-body" role="status" aria-label={t("app.loading")}>
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} height={28} />
            ))}
          </div>
        ) : rows.length === 0 ? (
          <EmptyState testId="worklist-empty">{t("worklist.empty")}</EmptyState>
        ) : (
          <VirtualTable<WorklistRow>
            rows={rows}
            columns={columns}
            rowKey={(row) => row.id}
            rowProps={(row) => ({
              "data-account-id": row.id,
              "data-testid": "worklist-row",
              "data-priority": row.priority,
            })}
            height={680}
            caption={t("worklist.title")}
            testId="worklist-table"
          />
        )}
      </section>
    </div>
  );
}
