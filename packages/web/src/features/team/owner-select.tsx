import { useTranslation } from "react-i18next";
import type { Member, OwnerTarget, Team } from "./api";
import "./team.css";

/** An owner choice as a select value: `m:<member id>` or `pool:<team id>`. */
export type OwnerChoice = string;

/** The API's owner target of a select value (null: nothing chosen). */
export function ownerTarget(choice: OwnerChoice): OwnerTarget | null {
  if (choice.startsWith("m:")) return { ownerId: choice.slice(2) };
  if (choice.startsWith("pool:")) return { teamId: choice.slice(5) };
  return null;
}

/**
 * Active members grouped by team (members without a team last) and, with `pools`, each team's pool:
 * the one picker for an account's owner, a selection's, a book's and a successor.
 */
export function OwnerSelect({
  teams,
  members,
  value,
  onChange,
  exclude,
  pools = true,
  label,
  testId,
  placeholder,
}: {
  teams: readonly Team[];
  members: readonly Member[];
  value: OwnerChoice;
  onChange: (choice: OwnerChoice) => void;
  /** A member who cannot be chosen (the one whose work moves). */
  exclude?: string;
  pools?: boolean;
  label: string;
  testId?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const active = members.filter((m) => m.active && m.id !== exclude);
  const groups = [
    ...teams.map((team) => ({
      key: team.id,
      name: team.name,
      members: active.filter((m) => m.teamId === team.id),
    })),
    { key: "", name: t("team.noTeam"), members: active.filter((m) => m.teamId === null) },
  ].filter((g) => g.members.length > 0);
  return (
    <select
      className="select"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-label={label}
      data-testid={testId}
    >
      <option value="">{placeholder ?? t("team.chooseOwner")}</option>
      {groups.map((g) => (
        <optgroup key={g.key} label={g.name}>
          {g.members.map((m) => (
            <option key={m.id} value={`m:${m.id}`}>
              {m.name}
            </option>
          ))}
        </optgroup>
      ))}
      {pools && teams.length > 0 ? (
        <optgroup label={t("team.pools")}>
          {teams.map((team) => (
            <option key={team.id} value={`pool:${team.id}`}>
              {t("team.poolOf", { team: team.name })}
            </option>
          ))}
        </optgroup>
      ) : null}
    </select>
  );
}
