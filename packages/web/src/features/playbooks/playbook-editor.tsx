import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import {
  type LocalizedText,
  type PlaybookDefinition,
  type PlaybookDetail,
  type PlaybookStep,
  textIn,
  useArchivePlaybook,
  usePlaybookRuns,
  useSavePlaybook,
} from "./api";
import { MarkdownPreview } from "./markdown-preview";

const AUDIENCE_KEYS = ["owner", "stage", "band", "tier", "segment"] as const;
const METRICS = ["active_users", "health_score", "feature_weekly_use", "mrr", "nps"] as const;
const ACTIONS = ["none", "email", "tag", "stage", "webhook", "chat"] as const;
type Action = PlaybookStep["action"];

/** A blank definition for a new playbook: one step, active users over 30 days. */
export function blankDefinition(): PlaybookDefinition {
  return {
    name: { en: "" },
    description: {},
    signalTypes: [],
    audience: {},
    steps: [
      {
        title: { en: "" },
        instructions: {},
        owner: { kind: "account_owner" },
        dueOffsetDays: 0,
        action: null,
      },
    ],
    metric: { kind: "active_users" },
    goal: "increase",
    windowDays: 30,
  };
}

function defaultAction(type: (typeof ACTIONS)[number]): Action {
  switch (type) {
    case "none":
      return null;
    case "email":
      return { type, template: "" };
    case "tag":
      return { type, op: "add", tag: "" };
    case "stage":
      return { type, stage: "adoption" };
    case "webhook":
      return { type, url: "https://" };
    case "chat":
      return { type, format: "wecom", channel: "" };
  }
}

function TextPair({
  value,
  onChange,
  labels,
  multiline,
  testId,
}: {
  value: LocalizedText;
  onChange: (v: LocalizedText) => void;
  labels: [string, string];
  multiline?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState(false);
  const field = (lang: "en" | "zh-CN", label: string) => {
    const v = value[lang] ?? "";
    const set = (s: string) => onChange({ ...value, [lang]: s === "" ? undefined : s });
    const id = testId && `${testId}-${lang}`;
    if (!multiline)
      return (
        <label>
          {label}
          <input value={v} onChange={(e) => set(e.target.value)} data-testid={id} />
        </label>
      );
    return (
      <label>
        {label}
        <textarea rows={3} value={v} onChange={(e) => set(e.target.value)} data-testid={id} />
        {preview && v !== "" ? <MarkdownPreview text={v} /> : null}
      </label>
    );
  };
  return (
    <div className="pb-row">
      {field("en", labels[0])}
      {field("zh-CN", labels[1])}
      {multiline ? (
        <label>
          <span>
            <input type="checkbox" checked={preview} onChange={(e) => setPreview(e.target.checked)} />{" "}
            {t("playbooks.editor.preview")}
          </span>
        </label>
      ) : null}
    </div>
  );
}

function StepEditor({
  step,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  step: PlaybookStep;
  index: number;
  count: number;
  onChange: (s: PlaybookStep) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const e = "playbooks.editor";
  const action = step.action;
  return (
    <fieldset className="pb-step" data-testid="playbook-step">
      <legend>{t(`${e}.stepN`, { n: index + 1 })}</legend>
      <TextPair
        value={step.title}
        onChange={(title) => onChange({ ...step, title })}
        labels={[t(`${e}.stepTitleEn`), t(`${e}.stepTitleZh`)]}
        testId={`step-${index}-title`}
      />
      <TextPair
        value={step.instructions}
        onChange={(instructions) => onChange({ ...step, instructions })}
        labels={[t(`${e}.instructionsEn`), t(`${e}.instructionsZh`)]}
        multiline
      />
      <div className="pb-row">
        <label>
          {t(`${e}.owner`)}
          <select
            value={step.owner.kind}
            data-testid={`step-${index}-owner`}
            onChange={(ev) => {
              const kind = ev.target.value as PlaybookStep["owner"]["kind"];
              onChange({
                ...step,
                owner: kind === "role" ? { kind, role: "" } : kind === "team_pool" ? { kind } : { kind },
              });
            }}
          >
            {(["account_owner", "team_pool", "role"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`${e}.ownerKinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {step.owner.kind === "role" ? (
          <label>
            {t(`${e}.role`)}
            <input
              value={step.owner.role}
              onChange={(ev) => onChange({ ...step, owner: { kind: "role", role: ev.target.value } })}
            />
          </label>
        ) : null}
        {step.owner.kind === "team_pool" ? (
          <label>
            {t(`${e}.team`)}
            <input
              value={step.owner.team ?? ""}
              onChange={(ev) =>
                onChange({
                  ...step,
                  owner: { kind: "team_pool", team: ev.target.value === "" ? undefined : ev.target.value },
                })
              }
            />
          </label>
        ) : null}
        <label>
          {t(`${e}.dueOffset`)}
          <input
            type="number"
            value={Number.isFinite(step.dueOffsetDays) ? step.dueOffsetDays : ""}
            onChange={(ev) => onChange({ ...step, dueOffsetDays: Number(ev.target.value) })}
            data-testid={`step-${index}-due`}
          />
        </label>
        <label>
          {t(`${e}.action`)}
          <select
            value={action?.type ?? "none"}
            onChange={(ev) =>
              onChange({ ...step, action: defaultAction(ev.target.value as (typeof ACTIONS)[number]) })
            }
          >
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`${e}.actionTypes.${a}`)}
              </option>
            ))}
          </select>
        </label>
        {action?.type === "email" ? (
          <label>
            {t(`${e}.template`)}
            <input
              value={action.template}
              onChange={(ev) => onChange({ ...step, action: { ...action, template: ev.target.value } })}
            />
          </label>
        ) : null}
        {action?.type === "tag" ? (
          <>
            <label>
              {t(`${e}.tag`)}
              <input
                value={action.tag}
                onChange={(ev) => onChange({ ...step, action: { ...action, tag: ev.target.value } })}
              />
            </label>
            <label>
              &nbsp;
              <select
                value={action.op}
                onChange={(ev) =>
                  onChange({ ...step, action: { ...action, op: ev.target.value as "add" | "remove" } })
                }
              >
                <option value="add">{t(`${e}.tagOp.add`)}</option>
                <option value="remove">{t(`${e}.tagOp.remove`)}</option>
              </select>
            </label>
          </>
        ) : null}
        {action?.type === "stage" ? (
          <label>
            {t(`${e}.stage`)}
            <input
              value={action.stage}
              onChange={(ev) => onChange({ ...step, action: { ...action, stage: ev.target.value } })}
            />
          </label>
        ) : null}
        {action?.type === "webhook" ? (
          <label>
            {t(`${e}.url`)}
            <input
              value={action.url}
              onChange={(ev) => onChange({ ...step, action: { ...action, url: ev.target.value } })}
            />
          </label>
        ) : null}
        {action?.type === "chat" ? (
          <>
            <label>
              {t(`${e}.chatFormat`)}
              <select
                value={action.format}
                onChange={(ev) =>
                  onChange({
                    ...step,
                    action: { ...action, format: ev.target.value as typeof action.format },
                  })
                }
              >
                {(["wecom", "dingtalk", "feishu", "slack"] as const).map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(`${e}.channel`)}
              <input
                value={action.channel}
                onChange={(ev) => onChange({ ...step, action: { ...action, channel: ev.target.value } })}
              />
            </label>
          </>
        ) : null}
      </div>
      <div className="pb-actions">
        <button
          type="button"
          className="button button-ghost button-small"
          disabled={index === 0}
          onClick={() => onMove(index - 1)}
        >
          {t(`${e}.moveUp`)}
        </button>
        <button
          type="button"
          className="button button-ghost button-small"
          disabled={index === count - 1}
          onClick={() => onMove(index + 1)}
        >
          {t(`${e}.moveDown`)}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={onRemove}>
          {t(`${e}.removeStep`)}
        </button>
      </div>
    </fieldset>
  );
}

/** The playbook editor: every part of the definition, saved as a new version, and the version history. */
export function PlaybookEditor({
  detail,
  onSaved,
  onClose,
}: {
  detail: PlaybookDetail | null;
  onSaved: (key: string) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  const e = "playbooks.editor";
  const isNew = detail === null;
  const [key, setKey] = useState(detail?.playbook.key ?? "");
  const [def, setDef] = useState<PlaybookDefinition>(() =>
    detail === null ? blankDefinition() : structuredClone(detail.playbook.definition),
  );
  const [signals, setSignals] = useState(def.signalTypes.join(", "));
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSavePlaybook();
  const archive = useArchivePlaybook();
  const runs = usePlaybookRuns(detail?.playbook.key ?? null);
  // Runs per version (each run keeps the version it started with); not shown when the list is cut at 500.
  const runsByVersion = new Map<number, number>();
  const allRuns = runs.data !== undefined && runs.data.runs.length < 500 ? runs.data.runs : null;
  for (const r of allRuns ?? []) runsByVersion.set(r.version, (runsByVersion.get(r.version) ?? 0) + 1);
  const setStep = (i: number, s: PlaybookStep) =>
    setDef({ ...def, steps: def.steps.map((x, j) => (j === i ? s : x)) });
  const moveStep = (from: number, to: number) => {
    const steps = [...def.steps];
    const [s] = steps.splice(from, 1);
    if (s !== undefined) steps.splice(to, 0, s);
    setDef({ ...def, steps });
  };
  const onSubmit = (ev: React.FormEvent) => {
    ev.preventDefault();
    const signalTypes = signals
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    save.mutate(
      { key, isNew, definition: { ...def, signalTypes } },
      {
        onSuccess: (d) => {
          setNotice(t(`${e}.saved`, { version: d.playbook.latestVersion }));
          onSaved(d.playbook.key);
        },
      },
    );
  };
  const archived = detail?.playbook.archivedAt != null;
  return (
    <form className="pb-form" onSubmit={onSubmit} data-testid="playbook-editor">
      <h3>{isNew ? t(`${e}.newTitle`) : t(`${e}.editTitle`, { name: textIn(def.name, i18n.language) })}</h3>
      {isNew ? (
        <label>
          {t(`${e}.key`)}
          <input
            value={key}
            onChange={(ev) => setKey(ev.target.value)}
            placeholder={t(`${e}.keyHint`)}
            data-testid="playbook-key"
          />
        </label>
      ) : null}
      <TextPair
        value={def.name}
        onChange={(name) => setDef({ ...def, name })}
        labels={[t(`${e}.nameEn`), t(`${e}.nameZh`)]}
        testId="playbook-name"
      />
      <TextPair
        value={def.description}
        onChange={(description) => setDef({ ...def, description })}
        labels={[t(`${e}.descriptionEn`), t(`${e}.descriptionZh`)]}
        multiline
      />
      <label>
        {t(`${e}.signalTypes`)}
        <input
          value={signals}
          onChange={(ev) => setSignals(ev.target.value)}
          data-testid="playbook-signals"
        />
      </label>
      <fieldset className="pb-step">
        <legend>{t(`${e}.audience`)}</legend>
        <div className="pb-row">
          {AUDIENCE_KEYS.map((k) => (
            <label key={k}>
              {t(`${e}.audienceKeys.${k}`)}
              <input
                value={def.audience[k] ?? ""}
                onChange={(ev) =>
                  setDef({
                    ...def,
                    audience: { ...def.audience, [k]: ev.target.value === "" ? undefined : ev.target.value },
                  })
                }
              />
            </label>
          ))}
        </div>
      </fieldset>
      <h4>{t(`${e}.steps`)}</h4>
      {def.steps.map((s, i) => (
        <StepEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are edited in place and have no id.
          key={i}
          step={s}
          index={i}
          count={def.steps.length}
          onChange={(next) => setStep(i, next)}
          onMove={(to) => moveStep(i, to)}
          onRemove={() => setDef({ ...def, steps: def.steps.filter((_, j) => j !== i) })}
        />
      ))}
      <div>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            const last = def.steps.at(-1)?.dueOffsetDays ?? 0;
            const step: PlaybookStep = {
              title: {},
              instructions: {},
              owner: { kind: "account_owner" },
              dueOffsetDays: last,
              action: null,
            };
            setDef({ ...def, steps: [...def.steps, step] });
          }}
          data-testid="playbook-add-step"
        >
          {t(`${e}.addStep`)}
        </button>
      </div>
      <div className="pb-row">
        <label>
          {t(`${e}.metric`)}
          <select
            value={def.metric.kind}
            onChange={(ev) => {
              const kind = ev.target.value as (typeof METRICS)[number];
              setDef({ ...def, metric: kind === "feature_weekly_use" ? { kind, feature: "" } : { kind } });
            }}
            data-testid="playbook-metric"
          >
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`playbooks.metrics.${m}`)}
              </option>
            ))}
          </select>
        </label>
        {def.metric.kind === "feature_weekly_use" ? (
          <label>
            {t(`${e}.feature`)}
            <input
              value={def.metric.feature}
              onChange={(ev) =>
                setDef({ ...def, metric: { kind: "feature_weekly_use", feature: ev.target.value } })
              }
            />
          </label>
        ) : null}
        <label>
          {t(`${e}.goal`)}
          <select
            value={def.goal}
            onChange={(ev) => setDef({ ...def, goal: ev.target.value as "increase" | "decrease" })}
          >
            <option value="increase">{t(`${e}.goals.increase`)}</option>
            <option value="decrease">{t(`${e}.goals.decrease`)}</option>
          </select>
        </label>
        <label>
          {t(`${e}.windowDays`)}
          <input
            type="number"
            value={Number.isFinite(def.windowDays) ? def.windowDays : ""}
            onChange={(ev) => setDef({ ...def, windowDays: Number(ev.target.value) })}
            data-testid="playbook-window"
          />
        </label>
      </div>
      {save.error ? <ErrorBanner error={save.error} /> : null}
      {archive.error ? <ErrorBanner error={archive.error} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <div className="pb-actions">
        <button type="submit" className="button" disabled={save.isPending} data-testid="playbook-save">
          {isNew ? t(`${e}.create`) : t(`${e}.save`)}
        </button>
        {isNew ? null : (
          <button
            type="button"
            className="button button-ghost"
            disabled={archive.isPending}
            onClick={() => archive.mutate({ key, archived: !archived })}
          >
            {archived ? t(`${e}.restore`) : t(`${e}.archive`)}
          </button>
        )}
        <button type="button" className="button button-ghost" onClick={onClose}>
          {t(`${e}.cancel`)}
        </button>
      </div>
      {detail === null ? null : (
        <>
          <h4>{t(`${e}.versions`)}</h4>
          <ul className="pb-versions" data-testid="playbook-versions">
            {detail.versions.map((v) => (
              <li
                key={v.version}
                data-version={v.version}
                data-runs={allRuns === null ? undefined : (runsByVersion.get(v.version) ?? 0)}
              >
                {t(`${e}.versionLine`, { version: v.version, date: fmt.dateTime(v.createdAt) })}
                {v.createdBy ? ` · ${t(`${e}.by`, { who: v.createdBy })}` : ""}
                {allRuns === null
                  ? ""
                  : ` · ${t(`${e}.versionRuns`, { count: runsByVersion.get(v.version) ?? 0 })}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </form>
  );
}
