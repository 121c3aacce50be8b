import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Scorecard } from "../../api/account-types";
import { ApiError } from "../../api/client";
import { ErrorBanner, Skeleton } from "../../components/states";
import { useSaveScorecard, useScorecard } from "../accounts/queries";
import { ProfileEditor } from "./profile-editor";

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

/** Settings → Health scorecard: bands, profiles, dimension and measure weights and thresholds, raw JSON. */
export function ScorecardPage() {
  const { t } = useTranslation();
  const query = useScorecard();
  const save = useSaveScorecard();
  const [draft, setDraft] = useState<Scorecard | null>(null);
  const [mode, setMode] = useState<"form" | "json">("form");
  const [json, setJson] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (query.data && draft === null) setDraft(structuredClone(query.data));
  }, [query.data, draft]);

  const update = (next: Scorecard) => {
    setDraft(next);
    setSaved(false);
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
    save.mutate(body, {
      onSuccess: () => {
        setSaved(true);
        setDraft(null);
      },
    });
  };
  const issues = issuesOf(save.error);
  const dirty =
    draft !== null && query.data !== undefined && JSON.stringify(draft) !== JSON.stringify(query.data);

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
            }}
            data-testid="scorecard-reset"
          >
            {t("scorecard.discard")}
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
          {t("scorecard.saved")}
        </div>
      ) : null}
      {save.isError ? (
        <div className="error-banner" role="alert" data-testid="scorecard-errors">
          <div>
            <strong>{t("scorecard.invalid")}</strong>
            {issues.length > 0 ? (
              <ul className="issue-list">
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`} data-testid="scorecard-issue" data-path={i.path}>
                    <code>{i.path}</code> {i.message}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="error-message">{save.error.message}</span>
            )}
          </div>
        </div>
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
              setSaved(false);
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
            <label className="field">
              <span className="field-label">{t("scorecard.redBelow")}</span>
              <input
                className="input input-number"
                type="number"
                value={draft.bands.red}
                onChange={(e) => update({ ...draft, bands: { ...draft.bands, red: Number(e.target.value) } })}
                data-testid="scorecard-band-red"
              />
            </label>
            <label className="field">
              <span className="field-label">{t("scorecard.yellowBelow")}</span>
              <input
                className="input input-number"
                type="number"
                value={draft.bands.yellow}
                onChange={(e) =>
                  update({ ...draft, bands: { ...draft.bands, yellow: Number(e.target.value) } })
                }
                data-testid="scorecard-band-yellow"
              />
            </label>
            <div className="field">
              <span className="field-label">{t("scorecard.version")}</span>
              <span data-testid="scorecard-version">{draft.version}</span>
            </div>
          </section>
          {draft.profiles.map((profile, p) => (
            <ProfileEditor
              key={profile.id}
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
