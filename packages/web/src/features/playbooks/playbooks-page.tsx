import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type Playbook, textIn, usePlaybook, usePlaybooks } from "./api";
import { PlaybookEditor } from "./playbook-editor";
import "./playbooks.css";

function PlaybookItem({ p, selected, onSelect }: { p: Playbook; selected: boolean; onSelect: () => void }) {
  const { t, i18n } = useTranslation();
  const d = p.definition;
  return (
    <li>
      <button
        type="button"
        className="pb-item"
        aria-current={selected}
        onClick={onSelect}
        data-testid={`playbook-${p.key}`}
      >
        <span className="pb-run-head">
          <strong>{textIn(d.name, i18n.language)}</strong>
          <span className="pb-badge">{t(`playbooks.origin.${p.origin}`)}</span>
          {p.archivedAt !== null ? (
            <span className="pb-badge pb-badge-cancelled">{t("playbooks.archived")}</span>
          ) : null}
          <span className="pb-muted">{t("playbooks.versionN", { version: p.latestVersion })}</span>
        </span>
        <span className="pb-muted">{textIn(d.description, i18n.language)}</span>
        <span className="pb-muted">
          {t("playbooks.columns.steps")}: {d.steps.length} · {t("playbooks.columns.metric")}:{" "}
          {t(`playbooks.metrics.${d.metric.kind}`)} · {t("playbooks.columns.window")}:{" "}
          {t("playbooks.days", { count: d.windowDays })}
          {d.signalTypes.length > 0
            ? ` · ${t("playbooks.columns.diagnoses")}: ${d.signalTypes.join(", ")}`
            : ""}
        </span>
      </button>
    </li>
  );
}

function Editor({
  selected,
  onSaved,
  onClose,
}: {
  selected: string | "new";
  onSaved: (k: string) => void;
  onClose: () => void;
}) {
  const detail = usePlaybook(selected === "new" ? null : selected);
  if (selected === "new") return <PlaybookEditor detail={null} onSaved={onSaved} onClose={onClose} />;
  if (detail.isPending) return <Skeleton height={300} />;
  if (detail.error) return <ErrorBanner error={detail.error} onRetry={() => void detail.refetch()} />;
  // Keyed by version: a saved edit reloads the form from the new version.
  return (
    <PlaybookEditor
      key={`${selected}@${detail.data.playbook.latestVersion}`}
      detail={detail.data}
      onSaved={onSaved}
      onClose={onClose}
    />
  );
}

/** The playbook library: the list, and an editor with steps, Markdown preview and version history. */
export function PlaybooksPage() {
  const { t } = useTranslation();
  const [archived, setArchived] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const list = usePlaybooks(archived);
  return (
    <div className="page" data-testid="playbooks-page">
      <header className="page-header">
        <div>
          <h1>{t("playbooks.title")}</h1>
          <p className="pb-muted">{t("playbooks.subtitle")}</p>
        </div>
        <div className="pb-actions">
          <label>
            <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />{" "}
            {t("playbooks.showArchived")}
          </label>
          <button
            type="button"
            className="button"
            onClick={() => setSelected("new")}
            data-testid="playbook-new"
          >
            {t("playbooks.newPlaybook")}
          </button>
        </div>
      </header>
      <div className="pb-layout">
        <Card title={t("playbooks.title")}>
          {list.isPending ? (
            <Skeleton height={300} />
          ) : list.error ? (
            <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
          ) : list.data.playbooks.length === 0 ? (
            <EmptyState>{t("playbooks.empty")}</EmptyState>
          ) : (
            <ul className="pb-list">
              {list.data.playbooks.map((p) => (
                <PlaybookItem
                  key={p.key}
                  p={p}
                  selected={p.key === selected}
                  onSelect={() => setSelected(p.key)}
                />
              ))}
            </ul>
          )}
        </Card>
        {selected === null ? (
          <Card title={t("playbooks.pickTitle")}>
            <EmptyState testId="playbook-pick">{t("playbooks.pickOne")}</EmptyState>
          </Card>
        ) : (
          <Card title={selected === "new" ? t("playbooks.editor.newTitle") : t("playbooks.pickTitle")}>
            <Editor selected={selected} onSaved={(k) => setSelected(k)} onClose={() => setSelected(null)} />
          </Card>
        )}
      </div>
    </div>
  );
}
