import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  MANUAL_TIMELINE_TYPES,
  type ManualTimelineType,
  type NewTimelineEntry,
} from "../../api/account-types";
import { DateInput } from "../../components/date-input";
import { useAddTimelineEntry } from "../accounts/queries";

const SENTIMENTS = ["positive", "neutral", "negative"] as const;

/** Adds a note, call, meeting, email or observation (with its structured subjective fields). */
export function TimelineEntryForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const add = useAddTimelineEntry(accountId);
  const [type, setType] = useState<ManualTimelineType>("note");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [date, setDate] = useState("");
  const [cooperation, setCooperation] = useState("3");
  const [sponsor, setSponsor] = useState(false);
  const [sentiment, setSentiment] = useState<(typeof SENTIMENTS)[number]>("neutral");
  const [missingTitle, setMissingTitle] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setMissingTitle(true);
      return;
    }
    setMissingTitle(false);
    const entry: NewTimelineEntry = { type, title: title.trim() };
    if (body.trim()) entry.body = body.trim();
    // A picked day is stored at noon UTC so it shows as that day in every time zone.
    if (date) entry.occurredAt = `${date}T12:00:00.000Z`;
    if (type === "observation") {
      entry.data = {
        cooperationWillingness: Number(cooperation),
        executiveSponsorEngaged: sponsor,
        sentiment,
      };
    }
    add.mutate(entry, {
      onSuccess: () => {
        setTitle("");
        setBody("");
        setDate("");
      },
    });
  };

  return (
    <form className="entry-form" onSubmit={onSubmit} data-testid="timeline-form">
      <div className="entry-form-row">
        <select
          className="select select-compact"
          value={type}
          onChange={(e) => setType(e.target.value as ManualTimelineType)}
          aria-label={t("timeline.form.type")}
          data-testid="timeline-form-type"
        >
          {MANUAL_TIMELINE_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`timeline.types.${ty}`)}
            </option>
          ))}
        </select>
        <input
          className="input entry-title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={t("timeline.form.title")}
          aria-label={t("timeline.form.title")}
          aria-invalid={missingTitle || undefined}
          data-testid="timeline-form-title"
        />
        <DateInput
          value={date}
          onChange={setDate}
          ariaLabel={t("timeline.form.date")}
          testId="timeline-form-date"
        />
      </div>
      <textarea
        className="input entry-body"
        value={body}
        onChange={(e) => setBody(e.target.value)}
        placeholder={t("timeline.form.body")}
        aria-label={t("timeline.form.body")}
        rows={3}
        data-testid="timeline-form-body"
      />
      {type === "observation" ? (
        <div className="entry-form-row" data-testid="observation-fields">
          <label className="inline-field">
            <span className="filter-label">{t("timeline.fields.cooperationWillingness")}</span>
            <select
              className="select select-compact"
              value={cooperation}
              onChange={(e) => setCooperation(e.target.value)}
              data-testid="observation-cooperation"
            >
              {["1", "2", "3", "4", "5"].map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={sponsor}
              onChange={(e) => setSponsor(e.target.checked)}
              data-testid="observation-sponsor"
            />
            <span>{t("timeline.fields.executiveSponsorEngaged")}</span>
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("timeline.fields.sentiment")}</span>
            <select
              className="select select-compact"
              value={sentiment}
              onChange={(e) => setSentiment(e.target.value as (typeof SENTIMENTS)[number])}
              data-testid="observation-sentiment"
            >
              {SENTIMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`timeline.sentiments.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
      <div className="entry-form-row">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={add.isPending}
          data-testid="timeline-form-submit"
        >
          {add.isPending ? t("timeline.form.saving") : t("timeline.form.add")}
        </button>
        {missingTitle ? <span className="form-error">{t("timeline.form.titleRequired")}</span> : null}
        {add.isError ? (
          <span className="form-error" data-testid="timeline-form-error">
            {add.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
