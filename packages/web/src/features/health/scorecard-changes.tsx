import { useTranslation } from "react-i18next";
import type { ScorecardChange, ScorecardPreview } from "./scorecard-api";

/** The changes of a save or a preview, one line each: where (labels) · what: before → after. */
export function ScorecardChanges({ changes, testId }: { changes: ScorecardChange[]; testId: string }) {
  const { t } = useTranslation();
  if (changes.length === 0) {
    return (
      <p className="muted" data-testid={testId}>
        {t("scorecard.noChanges")}
      </p>
    );
  }
  return (
    <ul className="change-list" data-testid={testId}>
      {changes.map((c) => {
        const where = c.where.length > 0 ? `${c.where.join(" › ")} · ` : "";
        const what = t(`scorecard.change.${c.property}`);
        const value =
          c.property === "added" || c.property === "removed" ? "" : `: ${show(c.before)} → ${show(c.after)}`;
        return (
          <li key={`${c.path}:${c.property}`} data-path={c.path} data-property={c.property}>
            {where}
            <strong>{what}</strong>
            {value}
          </li>
        );
      })}
    </ul>
  );
}

const show = (v: string | number | null) => (v === null || v === "" ? "—" : String(v));

const BANDS = ["red", "yellow", "green", "none"] as const;

/** The effect of a proposed scorecard: band moves, accounts and ARR per band before and after. */
export function PreviewResult({
  preview,
  stale,
  fmt,
}: {
  preview: ScorecardPreview;
  stale: boolean;
  fmt: { currency: (v: number) => string; number: (v: number) => string; date: (d: string) => string };
}) {
  const { t } = useTranslation();
  const row = (band: (typeof BANDS)[number]) => ({
    before: preview.before.find((b) => b.band === band),
    after: preview.after.find((b) => b.band === band),
  });
  return (
    <section
      className={stale ? "card card-body preview-panel preview-stale" : "card card-body preview-panel"}
      aria-label={t("scorecard.preview.title")}
      data-testid="scorecard-preview"
      data-changed={preview.changedBand}
    >
      <h2 className="card-title">{t("scorecard.preview.title")}</h2>
      {stale ? <p className="muted small">{t("scorecard.preview.stale")}</p> : null}
      <p data-testid="scorecard-preview-summary">
        {t("scorecard.preview.summary", {
          changed: fmt.number(preview.changedBand),
          total: fmt.number(preview.accounts),
          better: fmt.number(preview.better),
          worse: fmt.number(preview.worse),
          arr: fmt.currency(preview.changedArr),
        })}
        {preview.scoredOn ? (
          <span className="muted"> {t("scorecard.preview.basis", { date: fmt.date(preview.scoredOn) })}</span>
        ) : null}
      </p>
      <div className="table-wrap">
        <table className="table preview-table">
          <thead>
            <tr>
              <th scope="col">{t("scorecard.preview.band")}</th>
              <th scope="col" className="num">
                {t("scorecard.preview.accountsBefore")}
              </th>
              <th scope="col" className="num">
                {t("scorecard.preview.accountsAfter")}
              </th>
              <th scope="col" className="num">
                {t("scorecard.preview.arrBefore")}
              </th>
              <th scope="col" className="num">
                {t("scorecard.preview.arrAfter")}
              </th>
            </tr>
          </thead>
          <tbody>
            {BANDS.filter((b) => b !== "none" || (row(b).before?.accounts ?? 0) > 0).map((band) => {
              const r = row(band);
              return (
                <tr key={band} data-band={band}>
                  <th scope="row">
                    <span className={`health-badge health-${band}`}>
                      <span className="health-dot" aria-hidden="true" />
                      {t(`health.bands.${band}`)}
                    </span>
                  </th>
                  <td className="num">{fmt.number(r.before?.accounts ?? 0)}</td>
                  <td className="num" data-testid={`preview-after-${band}`}>
                    {fmt.number(r.after?.accounts ?? 0)}
                  </td>
                  <td className="num">{fmt.currency(r.before?.arr ?? 0)}</td>
                  <td className="num">{fmt.currency(r.after?.arr ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {preview.moves.length > 0 ? (
        <>
          <h3 className="small strong">{t("scorecard.preview.largestMoves")}</h3>
          <ul className="change-list" data-testid="scorecard-preview-moves">
            {preview.moves.slice(0, 8).map((m) => (
              <li key={m.accountId}>
                {m.name} ({fmt.currency(m.arr)}): {t(`health.bands.${m.from}`)} → {t(`health.bands.${m.to}`)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3 className="small strong">{t("scorecard.preview.changes")}</h3>
      <ScorecardChanges changes={preview.changes} testId="scorecard-preview-changes" />
    </section>
  );
}
