import { Link, useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { isApiStatus } from "../../api/client";
import { useAccountEdit, useCan } from "../../auth/permissions";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useAccountOverview } from "../accounts/queries";
import { PlaybookRunsCard } from "../playbooks/playbook-runs-card";
import { PredictionsCard } from "../predictions/predictions-card";
import { SuccessPlanCard } from "../success-plans/success-plan-card";
import { AccountTasksCard } from "../tasks/account-tasks-card";
import { AccountHeader } from "./account-header";
import { ContactsCard } from "./contacts-card";
import { HealthCard } from "./health-card";
import { RevenueCard } from "./revenue-card";
import { SignalsCard } from "./signals-card";
import { TimelineCard } from "./timeline-card";
import { UsageCard } from "./usage-card";

/** One account's page (客景): header, health, revenue, usage, contacts, signals and timeline. */
export function AccountPage() {
  const { t } = useTranslation();
  const { accountId } = useParams({ from: "/accounts/$accountId" });
  const query = useAccountOverview(accountId);
  const edit = useAccountEdit(query.data?.ownership);
  const can = useCan();

  if (isApiStatus(query.error, 404)) {
    return (
      <EmptyState testId="account-not-found">
        <p>{t("account.notFound", { id: accountId })}</p>
        <Link to="/accounts" className="button">
          {t("account.backToList")}
        </Link>
      </EmptyState>
    );
  }
  const data = query.data;
  return (
    <div className="page" data-testid="account-page" data-account-id={accountId}>
      <nav className="breadcrumb" aria-label={t("account.breadcrumb")}>
        <Link to="/accounts">{t("nav.accounts")}</Link>
        <span aria-hidden="true"> / </span>
        <span>{data?.account.name ?? accountId}</span>
      </nav>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!data ? (
        query.isPending ? (
          <div className="stack" role="status" aria-label={t("app.loading")}>
            <Skeleton height={96} />
            <Skeleton height={240} />
          </div>
        ) : null
      ) : (
        <>
          {edit.why !== null ? (
            <p className="readonly-note" role="note" data-testid="account-readonly">
              {edit.why}
            </p>
          ) : null}
          <AccountHeader data={data} />
          <div className="account-grid">
            <div className="account-main">
              <HealthCard data={data} />
              <RevenueCard data={data} />
              <UsageCard accountId={accountId} />
              <TimelineCard accountId={accountId} readOnly={edit.why} canWrite={can("book.edit")} />
            </div>
            <div className="account-side">
              <PredictionsCard accountId={accountId} />
              {/* Outside the user's book every control here is disabled (a fieldset), saying why on hover. */}
              <fieldset
                className="edit-guard"
                disabled={!edit.canEdit}
                title={edit.why ?? undefined}
                data-read-only-role={can("book.edit") ? undefined : "true"}
                data-testid="account-edit-guard"
              >
                <SuccessPlanCard accountId={accountId} />
                {/* The work, then the runs that made most of it (each task links to its run and signal below). */}
                <AccountTasksCard accountId={accountId} signals={data.signals} />
                <PlaybookRunsCard accountId={accountId} />
                <SignalsCard signals={data.signals} />
                <ContactsCard data={data} />
              </fieldset>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
