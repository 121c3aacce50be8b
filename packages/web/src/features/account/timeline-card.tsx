import { type SignalType, signalText } from "@tenure/core/text";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { TIMELINE_TYPES, type TimelineEntry, type TimelineType } from "../../api/account-types";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useMessageRenderer } from "../../lib/messages";
import { useFormatters } from "../../lib/use-formatters";
import { useAccountOverview, useTimeline } from "../accounts/queries";
import { TimelineEntryForm } from "./timeline-entry-form";

const PAGE = 50;

const ICONS: Record<TimelineType, string> = {
  note: "✎",
  call: "☏",
  meeting: "◷",
  email: "✉",
  ticket: "⚑",
  nps: "★",
  csat: "☺",
  observation: "◉",
  stage_change: "⇢",
  score_change: "↕",
  signal: "⚡",
  task: "☑",
  playbook: "▶",
};

const show = (value: unknown): string => (value === null || value === undefined ? "—" : String(value));

/** The structured part of an entry, per type (observation fields, ticket status, NPS score, changes). */
function EntryData({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const d = entry.data;
  const fields: [string, string][] = [];
  switch (entry.type) {
    case "observation":
      if (d.cooperationWillingness !== undefined)
        fields.push([t("timeline.fields.cooperationWillingness"), `${show(d.cooperationWillingness)} / 5`]);
      if (d.executiveSponsorEngaged !== undefined)
        fields.push([
          t("timeline.fields.executiveSponsorEngaged"),
          d.executiveSponsorEngaged ? t("timeline.yes") : t("timeline.no"),
        ]);
      if (typeof d.sentiment === "string")
        fields.push([
          t("timeline.fields.sentiment"),
          t(`timeline.sentiments.${d.sentiment}`, { defaultValue: d.sentiment }),
        ]);
      break;
    case "ticket":
      fields.push(
        [
          t("timeline.fields.status"),
          t(`timeline.ticketStatuses.${show(d.status)}`, { defaultValue: show(d.status) }),
        ],
        [
          t("timeline.fields.priority"),
          t(`timeline.priorities.${show(d.priority)}`, { defaultValue: show(d.priority) }),
        ],
      );
      break;
    case "nps":
      fields.push([t("timeline.fields.npsScore"), `${show(d.score)} / 10`]);
      break;
    case "stage_change":
      fields.push([
        t("timeline.fields.stage"),
        `${t(`stages.${show(d.from)}`, { defaultValue: show(d.from) })} → ${t(`stages.${show(d.to)}`, { defaultValue: show(d.to) })}`,
      ]);
      if (d.source !== undefined)
        fields.push([
          t("timeline.fields.source"),
          t(`timeline.sources.${show(d.source)}`, { defaultValue: show(d.source) }),
        ]);
      break;
    case "score_change":
      fields.push([t("timeline.fields.score"), `${show(d.from)} → ${show(d.to)}`]);
      if (d.band !== undefined)
        fields.push([t("health.band"), t(`health.bands.${show(d.band)}`, { defaultValue: show(d.band) })]);
      break;
    default:
      break;
  }
  if (fields.length === 0) return null;
  return (
    <dl className="entry-data">
      {fields.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Title and body of an entry in the viewer's language: entries the system wrote (stage, score and signal
 * changes, NPS answers) are composed from their data; what a person wrote is shown as written (`own`).
 */
function useEntryText(
  accountId: string,
): (entry: TimelineEntry) => { title: string; body: string | null; own: boolean } {
  const { t } = useTranslation();
  const render = useMessageRenderer();
  // Entries written before the evidence was kept in them find it on their signal (the page has loaded it).
  const overview = useAccountOverview(accountId);
  const signalEvidence = new Map((overview.data?.signals ?? []).map((s) => [s.id, s.evidence]));
  return (entry) => {
    const d = entry.data;
    const stage = (s: unknown) =>
      s === null || s === undefined
        ? t("timeline.system.noStage")
        : t(`stages.${String(s)}`, { defaultValue: String(s) });
    const band = (b: unknown) => t(`health.bands.${show(b)}`, { defaultValue: show(b) });
    switch (entry.type) {
      case "stage_change":
        return {
          title: t("timeline.system.stage", { from: stage(d.from), to: stage(d.to) }),
          body: entry.body,
          own: true,
        };
      case "score_change":
        if (d.previousBand === undefined) break;
        return {
          title: t("timeline.system.health", { from: band(d.previousBand), to: band(d.band) }),
          body: null,
          own: false,
        };
      case "nps":
        if (typeof d.score !== "number") break;
        return { title: t("timeline.system.nps", { score: d.score }), body: entry.body, own: true };
      case "signal": {
        if (typeof d.type !== "string") break;
        const status = typeof d.status === "string" ? d.status : "open";
        const evidence = (d.evidence ??
          (typeof d.signalId === "string" ? signalEvidence.get(d.signalId) : undefined) ??
          null) as Record<string, string | number | null> | null;
        const ruleName = entry.title.replace(/: [a-z]+$/, "");
        const text = signalText(d.type as SignalType, evidence ?? {}, ruleName);
        const title = render(text.title);
        return {
          title:
            status === "open"
              ? title
              : t("timeline.system.signalStatus", { title, status: t(`signals.status.${status}`) }),
          // Entries written before the evidence was kept carry only the English sentence.
          body: evidence ? render(text.summary) : entry.body,
          own: false,
        };
      }
      case "task":
        if (typeof d.event !== "string") break;
        return {
          title: t(`tasks.timeline.${d.event}`, { title: show(d.title) }),
          body: entry.body,
          own: true,
        };
      default:
        break;
    }
    return { title: entry.title, body: entry.body, own: true };
  };
}

/** Notes, calls, meetings, emails, tickets, NPS, observations, stage/score changes and signals, newest first. */
export function TimelineCard({
  accountId,
  readOnly = null,
  canWrite = true,
}: {
  accountId: string;
  /** Why the user may not add entries here (not their book), or null. */
  readOnly?: string | null;
  /** False for a role that changes nothing (viewer): no form at all. */
  canWrite?: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const entryText = useEntryText(accountId);
  const [types, setTypes] = useState<TimelineType[]>([]);
  const [limit, setLimit] = useState(PAGE);
  const query = useTimeline(accountId, types, limit);
  const entries = query.data?.entries ?? [];

  const toggle = (type: TimelineType) => {
    setLimit(PAGE);
    setTypes((current) => (current.includes(type) ? current.filter((x) => x !== type) : [...current, type]));
  };

  return (
    <Card title={t("timeline.title")} testId="account-timeline">
      {/* Outside the user's book the form is disabled, saying why on hover. */}
      {canWrite ? (
        <fieldset className="edit-guard" disabled={readOnly !== null} title={readOnly ?? undefined}>
          <TimelineEntryForm accountId={accountId} />
        </fieldset>
      ) : null}
      <fieldset className="chips timeline-filters" data-testid="timeline-filters">
        <legend className="visually-hidden">{t("timeline.filter")}</legend>
        <button
          type="button"
          className={types.length === 0 ? "chip-toggle chip-toggle-on" : "chip-toggle"}
          aria-pressed={types.length === 0}
          onClick={() => setTypes([])}
          data-testid="timeline-filter-all"
        >
          {t("timeline.all")}
        </button>
        {TIMELINE_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            className={types.includes(type) ? "chip-toggle chip-toggle-on" : "chip-toggle"}
            aria-pressed={types.includes(type)}
            onClick={() => toggle(type)}
            data-testid={`timeline-filter-${type}`}
          >
            {t(`timeline.types.${type}`)}
          </button>
        ))}
      </fieldset>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? (
        <div className="stack" role="status" aria-label={t("app.loading")}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={40} />
          ))}
        </div>
      ) : entries.length === 0 ? (
        <EmptyState testId="timeline-empty">{t("timeline.empty")}</EmptyState>
      ) : (
        <ol
          className="timeline"
          data-testid="timeline"
          data-types={types.join(",")}
          aria-busy={query.isFetching}
        >
          {entries.map((entry) => {
            const text = entryText(entry);
            return (
              <li
                key={entry.id}
                className={`timeline-entry timeline-${entry.type}`}
                data-testid="timeline-entry"
                data-type={entry.type}
                data-entry-id={entry.id}
              >
                <span className="timeline-icon" aria-hidden="true">
                  {ICONS[entry.type] ?? "•"}
                </span>
                <div className="timeline-content">
                  <div className="timeline-head">
                    <span className="timeline-type">
                      {t(`timeline.types.${entry.type}`, { defaultValue: entry.type })}
                    </span>
                    {/* What a person wrote is data: left as written (translate="no" marks it for tools and tests). */}
                    <strong
                      className="timeline-title"
                      translate={text.own && entry.type !== "nps" ? "no" : undefined}
                    >
                      {text.title}
                    </strong>
                    <span className="muted small nowrap">
                      {fmt.dateTime(entry.occurredAt)}
                      {entry.author ? ` · ${entry.author}` : ""}
                    </span>
                  </div>
                  {text.body ? (
                    <p className="timeline-body" translate={text.own ? "no" : undefined}>
                      {text.body}
                    </p>
                  ) : null}
                  <EntryData entry={entry} />
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {entries.length >= limit ? (
        <div className="table-toggle">
          <button
            type="button"
            className="button button-small"
            onClick={() => setLimit((l) => l + PAGE)}
            data-testid="timeline-more"
          >
            {t("timeline.more")}
          </button>
        </div>
      ) : null}
    </Card>
  );
}
