import { useTranslation } from "react-i18next";
import type { ScorecardDimension, ScorecardMeasure, ScorecardProfile } from "../../api/account-types";
import { Card } from "../../components/card";

function NumberInput({
  value,
  onChange,
  testId,
  label,
}: {
  value: number;
  onChange: (v: number) => void;
  testId: string;
  label: string;
}) {
  return (
    <input
      className="input input-number"
      type="number"
      step="any"
      value={Number.isFinite(value) ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
      aria-label={label}
      data-testid={testId}
    />
  );
}

function Scoring({
  measure,
  onChange,
  testId,
}: {
  measure: ScorecardMeasure;
  onChange: (m: ScorecardMeasure) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const scoring = measure.scoring;
  if (scoring.type === "linear") {
    return (
      <span className="scoring-inputs">
        <span className="muted small">{t("scorecard.worst")}</span>
        <NumberInput
          value={scoring.worst}
          onChange={(worst) => onChange({ ...measure, scoring: { ...scoring, worst } })}
          testId={`${testId}-worst`}
          label={`${measure.label} ${t("scorecard.worst")}`}
        />
        <span className="muted small">{t("scorecard.best")}</span>
        <NumberInput
          value={scoring.best}
          onChange={(best) => onChange({ ...measure, scoring: { ...scoring, best } })}
          testId={`${testId}-best`}
          label={`${measure.label} ${t("scorecard.best")}`}
        />
      </span>
    );
  }
  // Steps are edited in the JSON view; the form shows them compactly.
  const text = scoring.steps.map((s) => `${s.min ?? "−∞"}…${s.max ?? "∞"} → ${s.score}`).join(", ");
  return (
    <span className="small" title={t("scorecard.stepsHint")}>
      {text}
    </span>
  );
}

function DimensionRows({
  dimension,
  onChange,
  testId,
}: {
  dimension: ScorecardDimension;
  onChange: (d: ScorecardDimension) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <tbody data-dimension={dimension.key}>
      <tr className="breakdown-dimension">
        <th scope="row">{dimension.label}</th>
        <td className="muted small">{dimension.key}</td>
        <td className="num">
          <NumberInput
            value={dimension.weight}
            onChange={(weight) => onChange({ ...dimension, weight })}
            testId={`${testId}-weight`}
            label={`${dimension.label} ${t("account.weight")}`}
          />
        </td>
        <td />
      </tr>
      {dimension.measures.map((measure, i) => {
        const id = `${testId}-${measure.key}`;
        const set = (next: ScorecardMeasure) =>
          onChange({ ...dimension, measures: dimension.measures.map((m, j) => (j === i ? next : m)) });
        return (
          <tr key={measure.key} data-measure={measure.key}>
            <td className="breakdown-measure">{measure.label}</td>
            <td className="muted small">{measure.metric}</td>
            <td className="num">
              <NumberInput
                value={measure.weight}
                onChange={(weight) => set({ ...measure, weight })}
                testId={`${id}-weight`}
                label={`${measure.label} ${t("account.weight")}`}
              />
            </td>
            <td>
              <Scoring measure={measure} onChange={set} testId={id} />
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}

/** One scorecard profile: who it applies to, and its dimensions and measures with editable weights and thresholds. */
export function ProfileEditor({
  profile,
  onChange,
}: {
  profile: ScorecardProfile;
  onChange: (p: ScorecardProfile) => void;
}) {
  const { t } = useTranslation();
  const applies =
    profile.appliesTo.length === 0
      ? t("scorecard.defaultProfile")
      : profile.appliesTo.map((f) => `${f.attribute} = ${f.value}`).join(" · ");
  return (
    <Card title={profile.name} subtitle={applies} testId={`scorecard-profile-${profile.id}`}>
      <div className="table-wrap">
        <table className="table scorecard-table">
          <thead>
            <tr>
              <th scope="col">{t("account.measure")}</th>
              <th scope="col">{t("scorecard.metric")}</th>
              <th scope="col" className="num">
                {t("account.weight")}
              </th>
              <th scope="col">{t("scorecard.thresholds")}</th>
            </tr>
          </thead>
          {profile.dimensions.map((dimension, i) => (
            <DimensionRows
              key={dimension.key}
              dimension={dimension}
              testId={`scorecard-${profile.id}-${dimension.key}`}
              onChange={(next) =>
                onChange({ ...profile, dimensions: profile.dimensions.map((d, j) => (j === i ? next : d)) })
              }
            />
          ))}
        </table>
      </div>
    </Card>
  );
}
