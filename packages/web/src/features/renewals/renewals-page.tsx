import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { BookChips, useBookScope } from "../../auth/book-chips";
import type { BookScope } from "../../auth/permissions";
import { Card } from "../../components/card";
import { EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { HealthBadge } from "../accounts/health-badges";
import { useCampaigns, useChurnReasons, useReferrals, useRenewalCalendar, useSurveys } from "./queries";
import { RecordOutcome } from "./record-outcome";
import { calendarOption, churnReasonsOption } from "./renewal-charts";
import type { ChurnReasonAnalysis } from "./types";

const WINDOWS = [3, 6, 12] as const;

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi-tile" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
    </div>
  );
}

/**
 * Renewals: the calendar by month and owner (ARR, health band, the forecast's renewal probability),
 * recording outcomes, churn by reason with the manageable share, save campaigns and their ROI, and
 * advocacy (NPS, CSAT, promoters, referrals).
 */
export function RenewalsPage() {
  const { t } = useTranslation();
  const [months, setMonths] = useState<number>(6);
  const [picked, setOwner] = useState<string | undefined>(undefined);
  const search = useSearch({ from: "/renewals" });
  const navigate = useNavigate({ from: "/renewals" });
  const setBook = useCallback(
    (book: BookScope, replace = false) => void navigate({ search: { book }, replace }),
    [navigate],
  );
  // The calendar filters by owner: "My book" is the signed-in member's renewals.
  const book = useBookScope(search.book, setBook, false);
  const owner = book.scope === "mine" ? (book.filter.owner ?? picked) : picked;
  const calendar = useRenewalCalendar({ months, owner });
  const all = useRenewalCalendar({ months });
  const cal = calendar.data;
  const fmt = useFormatters(cal?.currency);
  const [open, setOpen] = useState<string | null>(null);
  const option = useMemo(
    () =>
      cal
        ? calendarOption(cal, fmt, {
            arr: t("renewals.calendar.arr"),
            red: t("renewals.calendar.red"),
            expected: t("renewals.calendar.expected"),
          })
        : null,
    [cal, fmt, t],
  );
  const owners = (all.data?.byOwner ?? []).map((o) => o.key);
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? fmt.missing : fmt.percent(v, 1);
  return (
    <div className="page" data-testid="renewals-page">
      <div className="page-header">
        <h1 className="page-title">{t("renewals.title")}</h1>
        <div className="page-header-actions">
          <BookChips scope={book.scope} choices={book.choices} locked={book.locked} onChange={setBook} />
          <label className="inline-field">
            <span className="filter-label">{t("renewals.calendar.window")}</span>
            <select
              className="select select-compact"
              value={months}
              onChange={(e) => setMonths(Number(e.target.value))}
              data-testid="renewals-months"
            >
              {WINDOWS.map((m) => (
                <option key={m} value={m}>
                  {t("renewals.calendar.months", { count: m })}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("renewals.calendar.owner")}</span>
            <select
              className="select select-compact"
              value={owner ?? "*"}
              onChange={(e) => {
                setOwner(e.target.value === "*" ? undefined : e.target.value);
                if (book.scope === "mine") setBook("all");
              }}
              disabled={book.scope === "mine" && !book.choices.includes("all")}
              data-testid="renewals-owner"
            >
              <option value="*">{t("renewals.calendar.allOwners")}</option>
              {owners.map((o) => (
                <option key={o} value={o}>
                  {o === "" ? t("renewals.calendar.noOwner") : o}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {calendar.isError ? (
        <ErrorBanner error={calendar.error} onRetry={() => void calendar.refetch()} />
      ) : null}
      {cal ? (
        <section className="kpi-grid" aria-label={t("renewals.calendar.title")}>
          <Kpi
            label={t("renewals.calendar.renewals")}
            value={fmt.number(cal.totals.renewals)}
            testId="renewals-count"
          />
          <Kpi
            label={t("renewals.calendar.arr")}
            value={fmt.currency(cal.totals.arr)}
            testId="renewals-arr"
          />
          <Kpi
            label={t("renewals.calendar.expected")}
            value={fmt.currency(cal.totals.expectedArr)}
            testId="renewals-expected"
          />
          <Kpi
            label={t("renewals.calendar.red")}
            value={fmt.currency(cal.totals.redArr)}
            testId="renewals-red"
          />
        </section>
      ) : null}
      <Card
        title={t("renewals.calendar.title")}
        subtitle={cal ? t("renewals.calendar.hint", { until: fmt.date(cal.until) }) : undefined}
        testId="renewal-calendar"
      >
        {option ? (
          <EChart
            option={option}
            height={280}
            testId="renewal-calendar-chart"
            ariaLabel={t("renewals.calendar.title")}
          />
        ) : (
          <ChartSkeleton height={280} />
        )}
        {cal && cal.byOwner.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="renewals-by-owner">
              <thead>
                <tr>
                  <th scope="col">{t("renewals.calendar.owner")}</th>
                  <th scope="col" className="num">
                    {t("renewals.calendar.renewals")}
                  </th>
                  <th scope="col" className="num">
                    {t("renewals.calendar.arr")}
                  </th>
                  <th scope="col" className="num">
                    {t("renewals.calendar.expected")}
                  </th>
                  <th scope="col" className="num">
                    {t("renewals.calendar.red")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {cal.byOwner.map((o) => (
                  <tr key={o.key} data-owner={o.key}>
                    <td>{o.key === "" ? t("renewals.calendar.noOwner") : o.key}</td>
                    <td className="num">{fmt.number(o.renewals)}</td>
                    <td className="num">{fmt.currency(o.arr)}</td>
                    <td className="num">{fmt.currency(o.expectedArr)}</td>
                    <td className="num">{fmt.currency(o.redArr)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      <Card title={t("renewals.list.title")} subtitle={t("renewals.list.hint")} testId="renewals-list">
        {cal && cal.rows.length === 0 ? <EmptyState>{t("renewals.list.empty")}</EmptyState> : null}
        {cal && cal.rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="renewals-table">
              <thead>
                <tr>
                  <th scope="col">{t("renewals.list.date")}</th>
                  <th scope="col">{t("renewals.list.account")}</th>
                  <th scope="col">{t("renewals.calendar.owner")}</th>
                  <th scope="col" className="num">
                    {t("renewals.calendar.arr")}
                  </th>
                  <th scope="col">{t("renewals.list.health")}</th>
                  <th scope="col" className="num">
                    {t("renewals.list.probability")}
                  </th>
                  <th scope="col">{t("renewals.outcome.label")}</th>
                </tr>
              </thead>
              <tbody>
                {cal.rows.map((r) => {
                  const key = `${r.accountId} ${r.renewalDate}`;
                  return [
                    <tr key={key} data-account-id={r.accountId} data-testid="renewal-row">
                      <td>{fmt.date(r.renewalDate)}</td>
                      <td>{r.name ?? r.accountId}</td>
                      <td>{r.owner ?? fmt.missing}</td>
                      <td className="num">{fmt.currency(r.arr)}</td>
                      <td>
                        <HealthBadge
                          score={r.score}
                          band={(r.band ?? "none") as "red" | "yellow" | "green" | "none"}
                        />
                      </td>
                      <td className="num" data-testid="renewal-probability">
                        {pct(r.renewalProbability)}
                      </td>
                      <td>
                        {r.outcome ? (
                          <span data-testid="renewal-outcome">
                            {t(`renewals.outcome.kinds.${r.outcome}`)}
                          </span>
                        ) : (
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => setOpen(open === key ? null : key)}
                            data-testid="record-outcome-open"
                          >
                            {t("renewals.outcome.record")}
                          </button>
                        )}
                      </td>
                    </tr>,
                    open === key ? (
                      <tr key={`${key} form`}>
                        <td colSpan={7}>
                          <RecordOutcome row={r} onDone={() => setOpen(null)} />
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
      <ChurnReasonsCard />
      <CampaignsCard />
      <AdvocacyCard />
    </div>
  );
}

function ChurnReasonsCard() {
  const { t, i18n } = useTranslation();
  const query = useChurnReasons();
  const a = query.data;
  const fmt = useFormatters();
  const zh = i18n.language === "zh-CN";
  const option = useMemo(() => {
    if (!a || a.reasons.length === 0) return null;
    const label = (r: ChurnReasonAnalysis["reasons"][number]) =>
      r.key === "unspecified" ? t("renewals.reasons.unspecified") : zh ? r.labelZh : r.labelEn;
    return churnReasonsOption(a, fmt, label, {
      lostArr: t("renewals.reasons.lostArr"),
      churns: t("renewals.reasons.churns"),
    });
  }, [a, fmt, t, zh]);
  return (
    <Card
      title={t("renewals.reasons.title")}
      subtitle={
        a
          ? t("renewals.reasons.hint", {
              share: a.manageableShare === null ? fmt.missing : fmt.percent(a.manageableShare, 0),
              arrShare: a.manageableArrShare === null ? fmt.missing : fmt.percent(a.manageableArrShare, 0),
              count: a.churned,
            })
          : undefined
      }
      testId="churn-reasons"
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {a && a.churned === 0 ? <EmptyState>{t("renewals.reasons.empty")}</EmptyState> : null}
      {a ? <span data-testid="manageable-share" data-value={a.manageableShare ?? ""} hidden /> : null}
      {option ? (
        <EChart
          option={option}
          height={Math.max(200, 28 * (a?.reasons.length ?? 0))}
          testId="churn-reasons-chart"
          ariaLabel={t("renewals.reasons.title")}
        />
      ) : query.isPending ? (
        <ChartSkeleton height={240} />
      ) : null}
      <p className="muted small">{t("renewals.reasons.legend")}</p>
    </Card>
  );
}

function CampaignsCard() {
  const { t } = useTranslation();
  const query = useCampaigns();
  const fmt = useFormatters();
  const c = query.data;
  return (
    <Card
      title={t("renewals.campaigns.title")}
      subtitle={t("renewals.campaigns.hint")}
      testId="save-campaigns"
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {c && c.campaigns.length === 0 ? <EmptyState>{t("renewals.campaigns.empty")}</EmptyState> : null}
      {c && c.campaigns.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="campaigns-table">
            <thead>
              <tr>
                <th scope="col">{t("renewals.campaigns.name")}</th>
                <th scope="col">{t("renewals.campaigns.started")}</th>
                <th scope="col" className="num">
                  {t("renewals.campaigns.accounts")}
                </th>
                <th scope="col" className="num">
                  {t("renewals.campaigns.atRisk")}
                </th>
                <th scope="col" className="num">
                  {t("renewals.campaigns.saved")}
                </th>
                <th scope="col" className="num">
                  {t("renewals.campaigns.cost")}
                </th>
                <th scope="col" className="num">
                  {t("renewals.campaigns.roi")}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.campaigns.map((x) => (
                <tr key={x.id} data-roi={x.roi ?? ""}>
                  <td>{x.name}</td>
                  <td>{fmt.date(x.startedOn)}</td>
                  <td className="num">
                    {t("renewals.campaigns.outcomes", { saved: x.saved, lost: x.churned, open: x.open })}
                  </td>
                  <td className="num">{fmt.currency(x.atRiskArrWorked)}</td>
                  <td className="num">{fmt.currency(x.arrSaved)}</td>
                  <td className="num">{fmt.currency(x.cost)}</td>
                  <td className="num" data-testid="campaign-roi">
                    {x.roi === null ? fmt.missing : fmt.number(x.roi, 2)}
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

function AdvocacyCard() {
  const { t } = useTranslation();
  const surveys = useSurveys();
  const referrals = useReferrals();
  const fmt = useFormatters();
  const s = surveys.data;
  const r = referrals.data;
  return (
    <Card title={t("renewals.advocacy.title")} subtitle={t("renewals.advocacy.hint")} testId="advocacy">
      {surveys.isError ? <ErrorBanner error={surveys.error} /> : null}
      {referrals.isError ? <ErrorBanner error={referrals.error} /> : null}
      {s && r ? (
        <div className="stack">
          <section className="kpi-grid" aria-label={t("renewals.advocacy.title")}>
            <Kpi
              label={t("renewals.advocacy.nps", { count: s.nps.responses })}
              value={s.nps.score === null ? fmt.missing : fmt.number(s.nps.score, 0)}
              testId="nps-score"
            />
            <Kpi
              label={t("renewals.advocacy.csat", { count: s.csat.responses })}
              value={s.csat.satisfiedShare === null ? fmt.missing : fmt.percent(s.csat.satisfiedShare, 0)}
              testId="csat-share"
            />
            <Kpi
              label={t("renewals.advocacy.promoters")}
              value={fmt.number(s.promoters.length)}
              testId="promoters"
            />
            <Kpi
              label={t("renewals.advocacy.referredArr")}
              value={fmt.currency(r.totals.referredArr)}
              testId="referred-arr"
            />
          </section>
          {r.referrals.length > 0 ? (
            <div className="table-wrap">
              <table className="table" data-testid="referrals-table">
                <thead>
                  <tr>
                    <th scope="col">{t("renewals.advocacy.date")}</th>
                    <th scope="col">{t("renewals.advocacy.advocate")}</th>
                    <th scope="col">{t("renewals.advocacy.referred")}</th>
                    <th scope="col">{t("renewals.advocacy.status")}</th>
                    <th scope="col" className="num">
                      {t("renewals.advocacy.arr")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.referrals.slice(0, 50).map((x) => (
                    <tr key={x.id}>
                      <td>{fmt.date(x.referredOn)}</td>
                      <td>{x.advocateName ?? x.advocateAccountId}</td>
                      <td>{x.referredName}</td>
                      <td>{t(`renewals.advocacy.statuses.${x.status}`)}</td>
                      <td className="num">{fmt.currency(x.referredArr)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <EmptyState>{t("renewals.advocacy.noReferrals")}</EmptyState>
          )}
        </div>
      ) : (
        <ChartSkeleton height={120} />
      )}
    </Card>
  );
}
