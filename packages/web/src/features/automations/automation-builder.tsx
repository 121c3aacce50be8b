import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../../components/states";
import {
  type Automation,
  type AutomationAction,
  type AutomationDefinition,
  type AutomationTrigger,
  useDryRun,
  useSaveAutomation,
} from "./automations-api";
import { DryRunTable } from "./dry-run-table";

const TRIGGERS = [
  "signal_raised",
  "event_tracked",
  "score_band_crossed",
  "stage_entered",
  "segment_entered",
  "date_relative",
  "schedule",
] as const;
const ACTIONS = [
  "start_playbook",
  "create_task",
  "add_tag",
  "remove_tag",
  "set_stage",
  "send_email",
  "call_webhook",
  "notify_chat",
  "wait",
] as const;
const STAGES = ["onboarding", "adoption", "retention", "expansion", "advocacy", "churned"] as const;
const BANDS = ["red", "yellow", "green", "none"] as const;
const OPS = ["gt", "gte", "lt", "lte", "eq", "neq"] as const;
const METRICS = ["healthScore", "arr", "mrr", "churnProbability", "activeUsers", "quotaUsedPct"] as const;

type Leaf = { metric: string; op: (typeof OPS)[number]; value: number };

function defaultTrigger(type: (typeof TRIGGERS)[number]): AutomationTrigger {
  switch (type) {
    case "signal_raised":
      return { type, signalTypes: [] };
    case "event_tracked":
      return { type, event: "", where: [] };
    case "score_band_crossed":
      return { type, from: "any", to: "red" };
    case "stage_entered":
      return { type, stage: "onboarding" };
    case "segment_entered":
      return { type, segment: "" };
    case "date_relative":
      return { type, field: "renewalDate", offsetDays: -90 };
    case "schedule":
      return { type, cron: "0 9 * * 1" };
  }
}

function defaultAction(type: (typeof ACTIONS)[number]): AutomationAction {
  switch (type) {
    case "start_playbook":
      return { type, playbookKey: "" };
    case "create_task":
      return { type, title: "", assign: { strategy: "owner" }, dueInDays: 3, priority: "normal" };
    case "add_tag":
    case "remove_tag":
      return { type, tag: "" };
    case "set_stage":
      return { type, stage: "retention" };
    case "send_email":
      return { type, template: "", to: "owner" };
    case "call_webhook":
      return { type, endpointId: "" };
    case "notify_chat":
      return { type, channelId: "", template: "" };
    case "wait":
      return { type, days: 3 };
  }
}

/** The flat leaves of a stored condition when it is an `all` of comparisons (what this builder edits). */
function leavesOf(c: AutomationDefinition["conditions"]): Leaf[] {
  if (c === null) return [];
  const list = Array.isArray((c as { all?: unknown }).all)
    ? ((c as { all: unknown[] }).all as unknown[])
    : [c];
  return list.filter(
    (l): l is Leaf => typeof (l as Leaf).metric === "string" && typeof (l as Leaf).value === "number",
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: every caller passes its input or select as the child.
    <label className="inline-field">
      <span className="filter-label">{label}</span>
      {children}
    </label>
  );
}

/** Trigger, conditions, actions and guards of an automation, with a dry-run preview; saves a version. */
export function AutomationBuilder({ editing, onDone }: { editing: Automation | null; onDone: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(editing?.name ?? "");
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [trigger, setTrigger] = useState<AutomationTrigger>(
    editing?.trigger ?? defaultTrigger("signal_raised"),
  );
  const [leaves, setLeaves] = useState<Leaf[]>(leavesOf(editing?.conditions ?? null));
  const [actions, setActions] = useState<AutomationAction[]>(
    editing?.actions ?? [defaultAction("create_task")],
  );
  const [includeChurned, setIncludeChurned] = useState(editing?.options.includeChurned ?? false);
  const [reentry, setReentry] = useState(editing?.options.reentryDays?.toString() ?? "30");
  const [holdout, setHoldout] = useState(editing?.options.holdoutPct.toString() ?? "0");
  const save = useSaveAutomation();
  const dry = useDryRun();

  const definition = (): AutomationDefinition => ({
    name,
    enabled,
    trigger,
    conditions: leaves.length === 0 ? null : { all: leaves },
    actions,
    options: {
      includeChurned,
      reentryDays: reentry.trim() === "" ? null : Number(reentry),
      holdoutPct: Number(holdout),
    },
  });
  const setAction = (i: number, a: AutomationAction) => setActions(actions.map((x, j) => (j === i ? a : x)));
  const num = (v: string) => (v.trim() === "" ? 0 : Number(v));

  return (
    <div className="stack" data-testid="automation-builder">
      <div className="filters">
        <Field label={t("automations.builder.name")}>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="builder-name"
          />
        </Field>
        <Field label={t("automations.builder.enabled")}>
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            data-testid="builder-enabled"
          />
        </Field>
      </div>

      <fieldset className="stack">
        <legend>{t("automations.builder.trigger")}</legend>
        <div className="filters">
          <select
            className="select"
            value={trigger.type}
            onChange={(e) => setTrigger(defaultTrigger(e.target.value as (typeof TRIGGERS)[number]))}
            data-testid="builder-trigger"
          >
            {TRIGGERS.map((k) => (
              <option key={k} value={k}>
                {t(`automations.triggers.${k}`)}
              </option>
            ))}
          </select>
          {trigger.type === "signal_raised" ? (
            <Field label={t("automations.builder.signalTypes")}>
              <input
                className="input"
                value={trigger.signalTypes.join(", ")}
                onChange={(e) =>
                  setTrigger({
                    ...trigger,
                    signalTypes: e.target.value
                      .split(",")
                      .map((s) => s.trim())
                      .filter(Boolean),
                  })
                }
                data-testid="builder-signal-types"
              />
            </Field>
          ) : null}
          {trigger.type === "event_tracked" ? (
            <Field label={t("automations.builder.event")}>
              <input
                className="input"
                value={trigger.event}
                onChange={(e) => setTrigger({ ...trigger, event: e.target.value })}
              />
            </Field>
          ) : null}
          {trigger.type === "score_band_crossed" ? (
            <>
              <Field label={t("automations.builder.from")}>
                <select
                  className="select"
                  value={trigger.from}
                  onChange={(e) => setTrigger({ ...trigger, from: e.target.value as typeof trigger.from })}
                >
                  <option value="any">{t("automations.builder.any")}</option>
                  {BANDS.map((b) => (
                    <option key={b} value={b}>
                      {t(`health.bands.${b}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t("automations.builder.to")}>
                <select
                  className="select"
                  value={trigger.to}
                  onChange={(e) => setTrigger({ ...trigger, to: e.target.value as typeof trigger.to })}
                >
                  {BANDS.map((b) => (
                    <option key={b} value={b}>
                      {t(`health.bands.${b}`)}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          ) : null}
          {trigger.type === "stage_entered" ? (
            <Field label={t("automations.builder.stage")}>
              <select
                className="select"
                value={trigger.stage}
                onChange={(e) => setTrigger({ ...trigger, stage: e.target.value as typeof trigger.stage })}
              >
                {STAGES.map((s) => (
                  <option key={s} value={s}>
                    {t(`stages.${s}`)}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {trigger.type === "segment_entered" ? (
            <Field label={t("automations.builder.segment")}>
              <input
                className="input"
                value={trigger.segment}
                onChange={(e) => setTrigger({ ...trigger, segment: e.target.value })}
              />
            </Field>
          ) : null}
          {trigger.type === "date_relative" ? (
            <>
              <Field label={t("automations.builder.field")}>
                <input
                  className="input"
                  value={trigger.field}
                  onChange={(e) => setTrigger({ ...trigger, field: e.target.value })}
                />
              </Field>
              <Field label={t("automations.builder.offsetDays")}>
                <input
                  className="input input-rate"
                  type="number"
                  value={trigger.offsetDays}
                  onChange={(e) => setTrigger({ ...trigger, offsetDays: num(e.target.value) })}
                />
              </Field>
            </>
          ) : null}
          {trigger.type === "schedule" ? (
            <Field label={t("automations.builder.cron")}>
              <input
                className="input"
                value={trigger.cron}
                onChange={(e) => setTrigger({ ...trigger, cron: e.target.value })}
                data-testid="builder-cron"
                translate="no"
              />
            </Field>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("automations.builder.conditions")}</legend>
        {leaves.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position.
          <div className="filters" key={i} data-testid="builder-condition">
            <Field label={t("automations.builder.metric")}>
              <input
                className="input"
                list="automation-metrics"
                value={l.metric}
                onChange={(e) =>
                  setLeaves(leaves.map((x, j) => (j === i ? { ...x, metric: e.target.value } : x)))
                }
                translate="no"
                data-testid="builder-condition-metric"
              />
            </Field>
            <Field label={t("automations.builder.op")}>
              <select
                className="select select-compact"
                value={l.op}
                onChange={(e) =>
                  setLeaves(leaves.map((x, j) => (j === i ? { ...x, op: e.target.value as Leaf["op"] } : x)))
                }
                data-testid="builder-condition-op"
              >
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {{ gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=", neq: "≠" }[o]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("automations.builder.value")}>
              <input
                className="input input-rate"
                type="number"
                value={l.value}
                onChange={(e) =>
                  setLeaves(leaves.map((x, j) => (j === i ? { ...x, value: num(e.target.value) } : x)))
                }
                data-testid="builder-condition-value"
              />
            </Field>
            <button
              type="button"
              className="button button-small"
              onClick={() => setLeaves(leaves.filter((_, j) => j !== i))}
            >
              {t("automations.builder.remove")}
            </button>
          </div>
        ))}
        <datalist id="automation-metrics">
          {METRICS.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <div>
          <button
            type="button"
            className="button button-small"
            onClick={() => setLeaves([...leaves, { metric: "healthScore", op: "lt", value: 50 }])}
            data-testid="builder-add-condition"
          >
            {t("automations.builder.addCondition")}
          </button>
        </div>
      </fieldset>

      <fieldset className="stack">
        <legend>{t("automations.builder.actions")}</legend>
        {actions.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: steps are ordered and edited by position.
          <div className="filters" key={i} data-testid="builder-action">
            <span className="muted small">{i + 1}.</span>
            <select
              className="select"
              value={a.type}
              onChange={(e) => setAction(i, defaultAction(e.target.value as (typeof ACTIONS)[number]))}
              data-testid="builder-action-type"
            >
              {ACTIONS.map((k) => (
                <option key={k} value={k}>
                  {t(`automations.actions.${k}`)}
                </option>
              ))}
            </select>
            <ActionFields action={a} onChange={(x) => setAction(i, x)} />
            <button
              type="button"
              className="button button-small"
              onClick={() => setActions(actions.filter((_, j) => j !== i))}
            >
              {t("automations.builder.remove")}
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="button button-small"
            onClick={() => setActions([...actions, defaultAction("wait")])}
          >
            {t("automations.builder.addAction")}
          </button>
        </div>
      </fieldset>

      <fieldset className="filters">
        <legend>{t("automations.builder.options")}</legend>
        <Field label={t("automations.builder.includeChurned")}>
          <input
            type="checkbox"
            checked={includeChurned}
            onChange={(e) => setIncludeChurned(e.target.checked)}
          />
        </Field>
        <Field label={t("automations.builder.reentryDays")}>
          <input
            className="input input-rate"
            type="number"
            min={1}
            value={reentry}
            onChange={(e) => setReentry(e.target.value)}
          />
        </Field>
        <Field label={t("automations.builder.holdoutPct")}>
          <input
            className="input input-rate"
            type="number"
            min={0}
            max={50}
            value={holdout}
            onChange={(e) => setHoldout(e.target.value)}
            data-testid="builder-holdout"
          />
        </Field>
      </fieldset>

      {save.isError ? <ErrorBanner error={save.error} /> : null}
      {dry.isError ? <ErrorBanner error={dry.error} /> : null}
      <div className="filters">
        <button
          type="button"
          className="button button-small"
          disabled={dry.isPending}
          onClick={() => dry.mutate({ id: editing?.id, definition: definition(), days: 7 })}
          data-testid="builder-preview"
        >
          {t("automations.builder.preview")}
        </button>
        <button
          type="button"
          className="button button-primary button-small"
          disabled={save.isPending}
          onClick={() =>
            save.mutate({ id: editing?.id ?? null, definition: definition() }, { onSuccess: onDone })
          }
          data-testid="builder-save"
        >
          {t("automations.builder.save")}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          {t("automations.builder.cancel")}
        </button>
      </div>
      {dry.data ? <DryRunTable result={dry.data} /> : null}
    </div>
  );
}

/** The fields of one action, by its type. */
function ActionFields({
  action: a,
  onChange,
}: {
  action: AutomationAction;
  onChange: (a: AutomationAction) => void;
}) {
  const { t } = useTranslation();
  const text = (label: string, value: string, set: (v: string) => void, testId?: string) => (
    <Field label={label}>
      <input className="input" value={value} onChange={(e) => set(e.target.value)} data-testid={testId} />
    </Field>
  );
  const number = (label: string, value: number, set: (v: number) => void) => (
    <Field label={label}>
      <input
        className="input input-rate"
        type="number"
        value={value}
        onChange={(e) => set(Number(e.target.value))}
      />
    </Field>
  );
  switch (a.type) {
    case "start_playbook":
      return text(
        t("automations.builder.playbookKey"),
        a.playbookKey,
        (v) => onChange({ ...a, playbookKey: v }),
        "builder-playbook-key",
      );
    case "add_tag":
    case "remove_tag":
      return text(t("automations.builder.tag"), a.tag, (v) => onChange({ ...a, tag: v }), "builder-tag");
    case "set_stage":
      return (
        <Field label={t("automations.builder.stage")}>
          <select
            className="select"
            value={a.stage}
            onChange={(e) => onChange({ ...a, stage: e.target.value as typeof a.stage })}
          >
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stages.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      );
    case "send_email":
      return (
        <>
          {text(t("automations.builder.template"), a.template, (v) => onChange({ ...a, template: v }))}
          <Field label={t("automations.builder.recipient")}>
            <select
              className="select"
              value={a.to}
              onChange={(e) => onChange({ ...a, to: e.target.value as typeof a.to })}
            >
              {(["owner", "champion", "decision_maker", "admin", "billing"] as const).map((r) => (
                <option key={r} value={r}>
                  {r === "owner" ? t("automations.builder.assignOwner") : t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      );
    case "call_webhook":
      return text(t("automations.builder.endpointId"), a.endpointId, (v) =>
        onChange({ ...a, endpointId: v }),
      );
    case "notify_chat":
      return (
        <>
          {text(t("automations.builder.channelId"), a.channelId, (v) => onChange({ ...a, channelId: v }))}
          {text(t("automations.builder.template"), a.template, (v) => onChange({ ...a, template: v }))}
        </>
      );
    case "wait":
      return number(t("automations.builder.days"), a.days, (v) => onChange({ ...a, days: v }));
    case "create_task": {
      const as = a.assign;
      return (
        <>
          {text(
            t("automations.builder.taskTitle"),
            a.title,
            (v) => onChange({ ...a, title: v }),
            "builder-task-title",
          )}
          <Field label={t("automations.builder.assign")}>
            <select
              className="select"
              value={as.strategy}
              data-testid="builder-assign"
              onChange={(e) => {
                const s = e.target.value;
                onChange({
                  ...a,
                  assign:
                    s === "owner"
                      ? { strategy: "owner" }
                      : s === "member"
                        ? { strategy: "member", memberId: "" }
                        : { strategy: s as "round_robin" | "least_loaded", teamId: "" },
                });
              }}
            >
              <option value="owner">{t("automations.builder.assignOwner")}</option>
              <option value="round_robin">{t("automations.builder.assignRoundRobin")}</option>
              <option value="least_loaded">{t("automations.builder.assignLeastLoaded")}</option>
              <option value="member">{t("automations.builder.assignMember")}</option>
            </select>
          </Field>
          {as.strategy === "member"
            ? text(
                t("automations.builder.memberId"),
                as.memberId,
                (v) => onChange({ ...a, assign: { ...as, memberId: v } }),
                "builder-member-id",
              )
            : null}
          {as.strategy === "round_robin" || as.strategy === "least_loaded"
            ? text(t("automations.builder.teamId"), as.teamId, (v) =>
                onChange({ ...a, assign: { ...as, teamId: v } }),
              )
            : null}
          {number(t("automations.builder.dueInDays"), a.dueInDays, (v) => onChange({ ...a, dueInDays: v }))}
          <Field label={t("automations.builder.priority")}>
            <select
              className="select select-compact"
              value={a.priority}
              onChange={(e) => onChange({ ...a, priority: e.target.value as typeof a.priority })}
            >
              {(["low", "normal", "high", "urgent"] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`automations.priorities.${p}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      );
    }
  }
}
