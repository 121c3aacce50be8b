import { useTranslation } from "react-i18next";
import type { ScorecardDimension, ScorecardMeasure, ScorecardProfile } from "../../api/account-types";
import { Card } from "../../components/card";
import { useLabels } from "../../lib/labels";
import { PathNumberInput, ScoringEditor } from "./scoring-editor";

function DimensionRows({
  dimension,
  onChange,
  testId,
  path,
  invalid,
}: {
  dimension: ScorecardDimension;
  onChange: (d: ScorecardDimension) => void;
  testId: string;
  /** e.g. `profiles[0].dimensions[1]`: inputs carry their path so a 400's issue highlights them. */
  path: string;
  invalid: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const dimensionLabel = labels.dimension(dimension.key, dimension.label);
  return (
    <tbody data-dimension={dimension.key}>
      <tr className="breakdown-dimension">
        <th scope="row">{dimensionLabel}</th>
        <td className="muted small" translate="no">
          {dimension.key}
        </td>
        <td className="num">
          <PathNumberInput
            value={dimension.weight}
            onChange={(weight) => onChange({ ...dimension, weight: weight ?? Number.NaN })}
            path={`${path}.weight`}
            invalid={invalid}
            testId={`${testId}-weight`}
            label={`${dimensionLabel} ${t("account.weight")}`}
          />
        </td>
        <td />
      </tr>
      {dimension.measures.map((measure, i) => {
        const id = `${testId}-${measure.key}`;
        const measureLabel = labels.measure(measure.metric, measure.label);
        const set = (next: ScorecardMeasure) =>
          onChange({ ...dimension, measures: dimension.measures.map((m, j) => (j === i ? next : m)) });
        return (
          <tr key={measure.key} data-measure={measure.key}>
            <td className="breakdown-measure">{measureLabel}</td>
            <td className="muted small" translate="no">
              {measure.metric}
            </td>
            <td className="num">
              <PathNumberInput
                value={measure.weight}
                onChange={(weight) => set({ ...measure, weight: weight ?? Number.NaN })}
                path={`${path}.measures[${i}].weight`}
                invalid={invalid}
                testId={`${id}-weight`}
                label={`${measureLabel} ${t("account.weight")}`}
              />
            </td>
            <td>
              <ScoringEditor
                measure={measure}
                onChange={set}
                path={`${path}.measures[${i}].scoring`}
                invalid={invalid}
              />
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
  path,
  invalid,
}: {
  profile: ScorecardProfile;
  onChange: (p: ScorecardProfile) => void;
  /** e.g. `profiles[0]` */
  path: string;
  /** Paths named by the last validation error. */
  invalid: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const applies =
    profile.appliesTo.length === 0
      ? t("scorecard.defaultProfile")
      : profile.appliesTo
          .map((f) => `${labels.attribute(f.attribute)} = ${labels.value(f.attribute, f.value)}`)
          .join(" · ");
  return (
    <Card
      title={labels.profile(profile.id, profile.name)}
      subtitle={applies}
      testId={`scorecard-profile-${profile.id}`}
    >
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
              path={`${path}.dimensions[${i}]`}
              invalid={invalid}
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
