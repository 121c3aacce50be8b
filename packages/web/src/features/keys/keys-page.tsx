import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import {
  type ApiKey,
  KEY_SCOPES,
  type KeyScope,
  useCreateKey,
  useKeys,
  useRevokeKey,
  useRotateKey,
  useTeams,
} from "./queries";

/** A new key, shown once with a copy button and the warning that it is never shown again. */
function NewKey({ value, onDone }: { value: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="callout" role="status" data-testid="new-key">
      <p className="form-error">{t("keys.shownOnce")}</p>
      <code className="key-value" translate="no" data-testid="new-key-value">
        {value}
      </code>
      <div className="row-actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
          data-testid="copy-key"
        >
          {copied ? t("keys.copied") : t("keys.copy")}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          {t("keys.stored")}
        </button>
      </div>
    </div>
  );
}

const stateOf = (k: ApiKey, now: string) =>
  k.revokedAt !== null
    ? "revoked"
    : k.expiresAt !== null && k.expiresAt <= now
      ? "expired"
      : k.expiresAt !== null
        ? "expiring"
        : "active";

/**
 * Settings → API keys (admin): create a key with a scope and optionally a team (shown once), the
 * list with last use and expiry, rotation with an overlap, and revocation after a confirmation.
 */
export function KeysPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const keys = useKeys();
  const teams = useTeams();
  const create = useCreateKey();
  const rotate = useRotateKey();
  const revoke = useRevokeKey();
  const [scope, setScope] = useState<KeyScope>("read");
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState("");
  const [overlap, setOverlap] = useState("24h");
  const [shown, setShown] = useState<string | null>(null);
  const now = new Date().toISOString();
  const error = keys.error ?? create.error ?? rotate.error ?? revoke.error;
  return (
    <div className="page" data-testid="keys-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t("keys.title")}</h1>
          <p className="muted small">{t("keys.subtitle")}</p>
        </div>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {shown !== null ? <NewKey value={shown} onDone={() => setShown(null)} /> : null}
      <Card title={t("keys.create")} testId="key-create">
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { scope, name: name.trim() || undefined, teamId: teamId === "" ? null : teamId },
              {
                onSuccess: (created) => {
                  setShown(created.key);
                  setName("");
                },
              },
            );
          }}
        >
          <label className="inline-field">
            <span className="filter-label">{t("keys.name")}</span>
            <input
              className="input"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              data-testid="key-name"
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("keys.scope")}</span>
            <select
              className="select"
              value={scope}
              onChange={(e) => setScope(e.target.value as KeyScope)}
              data-testid="key-scope"
            >
              {KEY_SCOPES.map((s) => (
                <option key={s} value={s}>
                  {t(`keys.scopes.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("keys.team")}</span>
            <select
              className="select"
              value={teamId}
              onChange={(e) => setTeamId(e.target.value)}
              data-testid="key-team"
            >
              <option value="">{t("keys.wholeWorkspace")}</option>
              {(teams.data?.teams ?? []).map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending}
            data-testid="key-create-submit"
          >
            {t("keys.createButton")}
          </button>
        </form>
        <p className="muted small">{t(`keys.scopeHelp.${scope}`)}</p>
      </Card>
      <Card
        title={t("keys.list")}
        actions={
          <label className="inline-field">
            <span className="filter-label">{t("keys.overlap")}</span>
            <select
              className="select select-compact"
              value={overlap}
              onChange={(e) => setOverlap(e.target.value)}
              data-testid="key-overlap"
            >
              {["0", "1h", "24h", "7d"].map((o) => (
                <option key={o} value={o}>
                  {t(`keys.overlaps.${o}`)}
                </option>
              ))}
            </select>
          </label>
        }
        testId="key-list"
      >
        {keys.isPending ? <Skeleton height={120} /> : null}
        {keys.data?.keys.length === 0 ? <EmptyState>{t("keys.empty")}</EmptyState> : null}
        {keys.data && keys.data.keys.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="key-table">
              <thead>
                <tr>
                  <th>{t("keys.name")}</th>
                  <th>{t("keys.scope")}</th>
                  <th>{t("keys.team")}</th>
                  <th>{t("keys.created")}</th>
                  <th>{t("keys.lastUsed")}</th>
                  <th>{t("keys.expires")}</th>
                  <th>{t("keys.state")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys.data.keys.map((k) => {
                  const state = stateOf(k, now);
                  const live = state === "active" || state === "expiring";
                  return (
                    <tr key={k.id} data-testid={`key-row-${state}`}>
                      <td>
                        {k.name}{" "}
                        <code className="muted" translate="no">
                          {k.prefix}…
                        </code>
                      </td>
                      <td>{t(`keys.scopes.${k.scope}`)}</td>
                      <td>{k.teamId ?? t("keys.wholeWorkspace")}</td>
                      <td className="nowrap">{fmt.dateTime(k.createdAt)}</td>
                      <td className="nowrap">
                        {k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : t("keys.never")}
                      </td>
                      <td className="nowrap">{k.expiresAt ? fmt.dateTime(k.expiresAt) : fmt.missing}</td>
                      <td>
                        <span className={live ? "badge badge-muted" : "pill pill-bad"}>
                          {t(`keys.states.${state}`)}
                        </span>
                      </td>
                      <td className="nowrap">
                        {live && k.replacedBy === null ? (
                          <>
                            <button
                              type="button"
                              className="button button-small"
                              onClick={() =>
                                rotate.mutate({ id: k.id, overlap }, { onSuccess: (r) => setShown(r.key) })
                              }
                              data-testid="key-rotate"
                            >
                              {t("keys.rotate")}
                            </button>{" "}
                            <button
                              type="button"
                              className="button button-small button-danger"
                              onClick={() => {
                                if (window.confirm(t("keys.confirmRevoke", { name: k.name })))
                                  revoke.mutate(k.id);
                              }}
                              data-testid="key-revoke"
                            >
                              {t("keys.revoke")}
                            </button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
