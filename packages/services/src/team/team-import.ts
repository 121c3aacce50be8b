import { z } from "zod";
import { cellNumber, field, optionalText, requiredText } from "../import/fields";
import type { KindDefinition } from "../import/kind-definition";
import type { ImportIssue } from "../import/types";
import { slugId } from "./team-service";

/** One row of a team file: a member, and the team it belongs to (created when new). */
export interface TeamMemberRow {
  id: string;
  name: string;
  email: string;
  team: string | null;
  teamKind: string | null;
  role: string | null;
  capacity: number | null;
}

/** The kind a team gets when the file names a new team without `team_kind`. */
export const DEFAULT_TEAM_KIND = "mid_market";

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const email = field((raw): Parsed<string> => {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, reason: "email is required" };
  const text = raw.trim();
  return z.email().safeParse(text).success
    ? { ok: true, value: text }
    : { ok: false, reason: "must be an email address" };
});

const capacity = field((raw): Parsed<number | null> => {
  const n = cellNumber(raw);
  if (!n.ok || n.value === null) return n;
  if (!Number.isInteger(n.value) || n.value < 0 || n.value > 1_000_000)
    return { ok: false, reason: "capacity must be a whole number of accounts, 0 or more" };
  return n;
});

const row = z
  .object({
    member_id: optionalText(),
    name: requiredText("name"),
    email,
    team: optionalText(),
    team_kind: optionalText(),
    role: optionalText(),
    capacity,
  })
  .transform(
    (r): TeamMemberRow => ({
      // Without an id the email is the member's id (lower-cased), so re-importing the file updates them.
      id: r.member_id ?? slugId(r.email),
      name: r.name,
      email: r.email,
      team: r.team,
      teamKind: r.team_kind === null ? null : slugId(r.team_kind).replace(/-/g, "_"),
      role: r.role,
      capacity: r.capacity,
    }),
  );

/**
 * Team members (`tenure import team team.csv`): name, email (unique in the workspace, any case), team
 * (created when new, with `team_kind` or mid_market), role, capacity in accounts. Members are updated by
 * id (member_id, else the email); the import never deactivates anyone (`tenure team deactivate` does,
 * handing their work on).
 */
export const teamKind: KindDefinition<TeamMemberRow> = {
  kind: "team",
  columns: ["member_id", "name", "email", "team", "team_kind", "role", "capacity"],
  aliases: {
    id: "member_id",
    csm_id: "member_id",
    member: "name",
    csm: "name",
    full_name: "name",
    e_mail: "email",
    mail: "email",
    team_name: "team",
    group: "team",
    kind: "team_kind",
    tier: "team_kind",
    coverage: "team_kind",
    title: "role",
    role_label: "role",
    max_accounts: "capacity",
    book_size: "capacity",
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (m) => m.id,
  // Ids default to the email, so a repeated member is most often a repeated email.
  keyColumn: "email",
  async review(storage, ctx, rows, rowNumbers, columnOf) {
    const errors: ImportIssue[] = [];
    const issue = (i: number, canonical: string, value: string, reason: string) =>
      errors.push({ file: ctx.file, row: rowNumbers[i] ?? 0, column: columnOf(i, canonical), value, reason });
    const stored = await storage.team.listMembers(ctx.workspaceId);
    const seen = new Map<string, number>();
    const kinds = new Map<string, { kind: string; index: number }>();
    rows.forEach((m, i) => {
      const key = m.email.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined && rows[first]?.id !== m.id)
        issue(
          i,
          "email",
          m.email,
          `the same email as row ${rowNumbers[first]} (emails are unique, any case)`,
        );
      else seen.set(key, i);
      const owner = stored.find((s) => s.email.toLowerCase() === key && s.id !== m.id);
      if (owner !== undefined)
        issue(
          i,
          "email",
          m.email,
          `already the email of member ${owner.name} (${owner.id}); give that member_id`,
        );
      if (m.team !== null && m.teamKind !== null) {
        const teamKey = slugId(m.team);
        const prior = kinds.get(teamKey);
        if (prior !== undefined && prior.kind !== m.teamKind)
          issue(
            i,
            "team_kind",
            m.teamKind,
            `team "${m.team}" is ${prior.kind} on row ${rowNumbers[prior.index]}`,
          );
        else kinds.set(teamKey, { kind: m.teamKind, index: i });
      }
    });
    return { errors, warnings: [] };
  },
  async write(tx, ws, rows, onProgress) {
    const existingTeams = new Map((await tx.team.listTeams(ws)).map((t) => [t.id, t]));
    const teams = new Map<string, { id: string; name: string; kind: string }>();
    for (const m of rows) {
      if (m.team === null) continue;
      const id = slugId(m.team);
      const known = teams.get(id) ?? existingTeams.get(id);
      teams.set(id, { id, name: m.team, kind: m.teamKind ?? known?.kind ?? DEFAULT_TEAM_KIND });
    }
    await tx.team.upsertTeams(ws, [...teams.values()]);
    const before = new Map((await tx.team.listMembers(ws)).map((m) => [m.id, m]));
    const result = await tx.team.upsertMembers(
      ws,
      rows.map((m) => {
        const previous = before.get(m.id);
        return {
          id: m.id,
          name: m.name,
          email: m.email,
          teamId: m.team === null ? null : slugId(m.team),
          role: m.role,
          capacity: m.capacity,
          active: previous?.active ?? true,
          deactivatedAt: previous?.deactivatedAt ?? null,
          successorId: previous?.successorId ?? null,
        };
      }),
    );
    // A renamed member or one in a new team shows so on the accounts they own.
    for (const m of rows) {
      const previous = before.get(m.id);
      const teamId = m.team === null ? null : slugId(m.team);
      if (previous !== undefined && (previous.name !== m.name || previous.teamId !== teamId))
        await tx.team.refreshOwnerFields(ws, { id: m.id, name: m.name, teamId });
    }
    onProgress(rows.length, rows.length);
    return result;
  },
};
