import { useTranslation } from "react-i18next";
import type { ScorecardMeasure, StepScoring } from "../../api/account-types";
import { pathHits } from "./scorecard-paths";

/** A number input bound to a scorecard path: highlighted (and described) when an issue names that path. */
export function PathNumberInput({
  value,
  onChange,
  path,
  invalid,
  label,
  optional = false,
  placeholder,
  testId,
}: {
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  path: string;
  invalid: ReadonlySet<string>;
  label: string;
  /** Empty means "unbounded" instead of "not a number". */
  optional?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  const bad = pathHits(invalid, path);
  return (
    <input
      className={bad ? "input input-number input-invalid" : "input input-number"}
      type="number"
      step="any"
      value={value !== undefined && Number.isFinite(value) ? value : ""}
      placeholder={placeholder}
      onChange={(e) =>
        onChange(e.target.value === "" ? (optional ? undefined : Number.NaN) : Number(e.target.value))
      }
      aria-label={label}
      aria-invalid={bad || undefined}
      data-path={path}
      data-testid={testId ?? `field-${path}`}
    />
  );
}

const DEFAULT_STEPS: StepScoring["steps"] = [
  { max: 0, score: 0 },
  { min: 0, score: 100 },
];

/** Linear (worst/best) or step scoring of one measure, every number editable, steps added and removed. */
export function ScoringEditor({
  measure,
  onChange,
  path,
  invalid,
}: {
  measure: ScorecardMeasure;
  onChange: (m: ScorecardMeasure) => void;
  /** Path of the measure's `scoring`, e.g. `profiles[0].dimensions[1].measures[2].scoring`. */
  path: string;
  invalid: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const scoring = measure.scoring;
  const typeSelect = (
    <select
      className="input input-small"
      value={scoring.type}
      aria-label={`${measure.label} ${t("scorecard.fields.scoringType")}`}
      data-testid={`field-${path}.type`}
      onChange={(e) =>
        onChange({
          ...measure,
          scoring:
            e.target.value === "steps"
              ? { type: "steps", steps: structuredClone(DEFAULT_STEPS) }
              : { type: "linear", worst: 0, best: 1 },
        })
      }
    >
      <option value="linear">{t("scorecard.linear")}</option>
      <option value="steps">{t("scorecard.steps")}</option>
    </select>
  );
  if (scoring.type === "linear") {
    return (
      <span className="scoring-inputs">
        {typeSelect}
        <span className="muted small">{t("scorecard.worst")}</span>
        <PathNumberInput
          value={scoring.worst}
          onChange={(worst) => onChange({ ...measure, scoring: { ...scoring, worst: worst ?? Number.NaN } })}
          path={`${path}.worst`}
          invalid={invalid}
          label={`${measure.label} ${t("scorecard.worst")}`}
        />
        <span className="muted small">{t("scorecard.best")}</span>
        <PathNumberInput
          value={scoring.best}
          onChange={(best) => onChange({ ...measure, scoring: { ...scoring, best: best ?? Number.NaN } })}
          path={`${path}.best`}
          invalid={invalid}
          label={`${measure.label} ${t("scorecard.best")}`}
        />
      </span>
    );
  }
  const setSteps = (steps: StepScoring["steps"]) =>
    onChange({ ...measure, scoring: { type: "steps", steps } });
  const stepsPath = `${path}.steps`;
  return (
    <div
      title={t("scorecard.stepsHint")}
      className={invalid.has(stepsPath) ? "steps-editor steps-editor-invalid" : "steps-editor"}
      data-path={stepsPath}
      data-testid={`field-${stepsPath}`}
    >
      <div className="scoring-inputs">{typeSelect}</div>
      <table className="steps-table">
        <thead>
          <tr>
            <th scope="col">{t("scorecard.fields.min")}</th>
            <th scope="col">{t("scorecard.fields.max")}</th>
            <th scope="col">{t("scorecard.fields.score")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("scorecard.removeStep")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {scoring.steps.map((step, i) => {
            const at = `${stepsPath}[${i}]`;
            const set = (patch: Partial<typeof step>) => {
              const next = { ...step, ...patch };
              // An empty bound is unbounded: the key is left out rather than sent as null.
              if (next.min === undefined) delete next.min;
              if (next.max === undefined) delete next.max;
              setSteps(scoring.steps.map((s, j) => (j === i ? next : s)));
            };
            const name = `${measure.label} ${t("scorecard.fields.stepN", { n: i + 1 })}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps have no identity but their position
              <tr key={i}>
                <td>
                  <PathNumberInput
                    value={step.min}
                    optional
                    placeholder="−∞"
                    onChange={(min) => set({ min })}
                    path={`${at}.min`}
                    invalid={invalid}
                    label={`${name} ${t("scorecard.fields.min")}`}
                  />
                </td>
                <td>
                  <PathNumberInput
                    value={step.max}
                    optional
                    placeholder="∞"
                    onChange={(max) => set({ max })}
                    path={`${at}.max`}
                    invalid={invalid}
                    label={`${name} ${t("scorecard.fields.max")}`}
                  />
                </td>
                <td>
                  <PathNumberInput
                    value={step.score}
                    onChange={(score) => set({ score: score ?? Number.NaN })}
                    path={`${at}.score`}
                    invalid={invalid}
                    label={`${name} ${t("scorecard.fields.score")}`}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    disabled={scoring.steps.length <= 1}
                    onClick={() => setSteps(scoring.steps.filter((_, j) => j !== i))}
                    aria-label={`${t("scorecard.removeStep")}: ${name}`}
                  >
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="button button-ghost button-small"
        data-testid={`add-step-${stepsPath}`}
        onClick={() => {
          const last = scoring.steps.at(-1);
          // A new step starts where the last one ends, so coverage stays easy to keep.
          const from = last?.max ?? last?.min;
          setSteps([...scoring.steps, { ...(from === undefined ? {} : { min: from }), score: 100 }]);
        }}
      >
        {t("scorecard.addStep")}
      </button>
    </div>
  );
}
