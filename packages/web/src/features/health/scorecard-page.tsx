import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Scorecard } from "../../api/account-types";
import { ApiError } from "../../api/client";
import { ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useScorecard } from "../accounts/queries";
import { ProfileEditor } from "./profile-editor";
import { type SavedScorecard, usePreviewScorecard, useSaveScorecardVersion } from "./scorecard-api";
import { PreviewResult, ScorecardChanges } from "./scorecard-changes";
import { describePath } from "./scorecard-paths";
import { PathNumberInput } from "./scoring-editor";

interface Issue {
  path: string;
  message: string;
}

/** Validation issues from a 400 (`details.issues`), else the message's "- path: message" lines. */
export function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details;
  if (
    typeof details === "object" &&
    details !== null &&
    "issues" in details &&
    Array.isArray(details.issues)
  ) {
    return details.issues.flatMap((i: unknown) =>
      typeof i === "object" && i !== null && "path" in i && "message" in i
        ? [{ path: String(i.path), message: String(i.message) }]
        : [],
    );
  }
  return error.message
    .split("\n")
    .map((line) => /^- (.+?): (.+)$/.exec(line))
    .flatMap((m) => (m?.[1] && m[2] ? [{ path: m[1], message: m[2] }] : []));
}

/**
 * Settings → Health scorecard: bands, profiles, dimension and measure weights, linear and step scoring,
 * raw JSON; preview the effect before saving, and see the saved version and its changes after.
 */
export function ScorecardPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useScorecard();
  const save = useSaveScorecardVersion();
  const preview = usePreviewScorecard();
  const [draft, setDraft] = useState<Scorecard | null>(null);
  const [mode, setMode] = useState<"form" | "json">("form");
  const [json, setJson] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedScorecard | null>(null);
  // The draft the shown preview was computed for: an edit after it marks the preview stale.
  const [previewed, setPreviewed] = useState<string | null>(null);

  useEffect(() => {
    if (query.data && draft === null) setDraft(structuredClone(query.data));
  }, [query.data, draft]);

  const update = (next: Scorecard) => {
    setDraft(next);
    setSaved(null);
  };
  const switchTo = (next: "form" | "json") => {
    if (next === "json" && draft) {
      setJson(JSON.stringify(draft, null, 2));
      setJsonError(null);
    }
    if (next === "form" && mode === "json" && !applyJson()) return;
    setMode(next);
  };
  const applyJson = (): Scorecard | null => {
    try {
      const parsed = JSON.parse(json) as Scorecard;
      setJsonError(null);
      update(parsed);
      return parsed;
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
      return null;
    }
  };
  const onSave = () => {
    const body = mode === "json" ? applyJson() : draft;
    if (!body) return;
    preview.reset();
    save.mutate(body, {
      onSuccess: (result) => {
        // The form shows what the server stored (its version), not the copy that was sent.
        setSaved(result);
        setDraft(structuredClone(result.scorecard));
        setJson(JSON.stringify(result.scorecard, null, 2));
      },
    });
  };
  const onPreview = () => {
    const body = mode === "json" ? applyJson() : draft;
    if (!body) return;
    save.reset();
    setPreviewed(JSON.stringify(body));
    preview.mutate(body);
  };
  const failed = save.error ?? preview.error;
  const issues = issuesOf(failed);
  const invalid = useMemo(() => new Set(issues.map((i) => i.path)), [issues]);
  const dirty =
    draft !== null && query.data !== undefined && JSON.stringify(draft) !== JSON.stringify(query.data);
  const previewStale = previewed !== null && draft !== null && previewed !== JSON.stringify(draft);
  const focusField = (path: string) => {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
    el?.scrollIntoView({ block: "center" });
    el?.focus();
  };

  return (
    <div className="page" data-testid="scorecard-page">
      <div className="page-header">
        <h1 className="page-title">{t("scorecard.title")}</h1>
        <span className="muted">{t("scorecard.subtitle")}</span>
        <div className="page-header-actions">
          <div className="tabs" role="tablist">
            {(["form", "json"] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="tab"
                aria-selected={mode === m}
                className={mode === m ? "tab tab-active" : "tab"}
                onClick={() => switchTo(m)}
                data-testid={`scorecard-mode-${m}`}
              >
                {t(`scorecard.modes.${m}`)}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="button"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setDraft(query.data ? structuredClone(query.data) : null);
              setJson(JSON.stringify(query.data, null, 2));
              save.reset();
              preview.reset();
            }}
            data-testid="scorecard-reset"
          >
            {t("scorecard.discard")}
          </button>
          <button
            type="button"
            className="button"
            disabled={preview.isPending || save.isPending || draft === null}
            onClick={onPreview}
            data-testid="scorecard-preview-button"
          >
            {preview.isPending ? t("scorecard.previewing") : t("scorecard.previewButton")}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={save.isPending || draft === null}
            onClick={onSave}
            data-testid="scorecard-save"
          >
            {save.isPending ? t("scorecard.saving") : t("scorecard.save")}
          </button>
        </div>
      </div>
      {saved && !dirty ? (
        <div className="success-banner" role="status" data-testid="scorecard-saved">
          <div>
            <strong>
              {saved.changes.length > 0
                ? t("scorecard.savedVersion", {
                    version: saved.scorecard.version,
                    previous: saved.previousVersion,
                  })
                : t("scorecard.savedUnchanged", { version: saved.scorecard.version })}
            </strong>
            <ScorecardChanges changes={saved.changes} testId="scorecard-saved-changes" />
          </div>
        </div>
      ) : null}
      {failed ? (
        <div className="error-banner" role="alert" data-testid="scorecard-errors">
          <div>
            <strong>{t("scorecard.invalid")}</strong>
            {issues.length > 0 ? (
              <ul className="issue-list">
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`} data-testid="scorecard-issue" data-path={i.path}>
                    <button type="button" className="link-button" onClick={() => focusField(i.path)}>
                      {describePath(draft, i.path, t)}
                    </button>
                    : {i.message}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="error-message">{failed.message}</span>
            )}
          </div>
        </div>
      ) : null}
      {preview.data && !save.isSuccess ? (
        <PreviewResult
          preview={preview.data}
          stale={previewStale}
          fmt={{ ...fmt, currency: currencyOf(fmt, preview.data.currency) }}
        />
      ) : null}
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!draft ? (
        <Skeleton height={320} />
      ) : mode === "json" ? (
        <section className="card card-body" aria-label={t("scorecard.modes.json")}>
          <textarea
            className="input json-editor"
            value={json}
            onChange={(e) => {
              setJson(e.target.value);
              setSaved(null);
            }}
            spellCheck={false}
            aria-label={t("scorecard.modes.json")}
            data-testid="scorecard-json"
          />
          {jsonError ? (
            <div className="form-error" data-testid="scorecard-json-error">
              {t("scorecard.jsonError", { message: jsonError })}
            </div>
          ) : null}
        </section>
      ) : (
        <>
          <section className="card card-body scorecard-meta" aria-label={t("scorecard.general")}>
            <label className="field">
              <span className="field-label">{t("scorecard.name")}</span>
              <input
                className="input"
                value={draft.name}
                onChange={(e) => update({ ...draft, name: e.target.value })}
                data-testid="scorecard-name"
              />
            </label>
            <div className="field">
              <span className="field-label">{t("scorecard.redBelow")}</span>
              <PathNumberInput
                value={draft.bands.red}
                onChange={(red) => update({ ...draft, bands: { ...draft.bands, red: red ?? Number.NaN } })}
                path="bands.red"
                testId="scorecard-band-red"
                invalid={invalid}
                label={t("scorecard.redBelow")}
              />
            </div>
            <div className="field">
              <span className="field-label">{t("scorecard.yellowBelow")}</span>
              <PathNumberInput
                value={draft.bands.yellow}
                onChange={(yellow) =>
                  update({ ...draft, bands: { ...draft.bands, yellow: yellow ?? Number.NaN } })
                }
                path="bands.yellow"
                testId="scorecard-band-yellow"
                invalid={invalid}
                label={t("scorecard.yellowBelow")}
              />
            </div>
            <div className="field">
              <span className="field-label">{t("scorecard.version")}</span>
              <span data-testid="scorecard-version">{draft.version}</span>
            </div>
          </section>
          {draft.profiles.map((profile, p) => (
            <ProfileEditor
              key={profile.id}
              path={`profiles[${p}]`}
              invalid={invalid}
              profile={profile}
              onChange={(next) =>
                update({ ...draft, profiles: draft.profiles.map((x, i) => (i === p ? next : x)) })
              }
            />
          ))}
        </>
      )}
    </div>
  );
}

/** The preview's money in its reporting currency. */
function currencyOf(fmt: ReturnType<typeof useFormatters>, currency: string): (v: number) => string {
  return (v) =>
    new Intl.NumberFormat(fmt.locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(v);
}
