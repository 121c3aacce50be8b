import { type FormEvent, type ReactNode, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { Drawer } from "../../components/drawer";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useTeam, useWorkload, type Workload } from "../tasks/api";
import {
  fieldErrors,
  type Member,
  type Team,
  useDeactivateMember,
  useReactivateMember,
  useReassignBook,
  useSaveMember,
  useSaveTeam,
} from "./api";
import { OwnerSelect, ownerTarget } from "./owner-select";
import "./team.css";

/** The team kinds the product knows (a team may use its own label too; it is shown as written). */
const KINDS = ["high_touch", "mid_market", "tech_touch"] as const;

type MemberLoad = Workload["members"][number];
type Panel =
  | { kind: "member"; member: Member | null }
  | { kind: "deactivate"; member: Member }
  | { kind: "book"; member: Member };

/** A server message about a field, in the reader's language where the rule is a known one. */
function useFieldMessage() {
  const { t } = useTranslation();
  return (message: string | undefined): string | undefined => {
    if (message === undefined) return undefined;
    // The request schema's words (zod) and the service's own, for the rules a member form can break.
    if (message === "must be an email address" || /invalid email/i.test(message))
      return t("team.errors.email");
    if (/must be 0 or more|expected number to be >=0/i.test(message)) return t("team.errors.negative");
    if (/whole number|expected int/i.test(message)) return t("team.errors.whole");
    if (message === "must not be empty" || /expected string to have >=1/i.test(message))
      return t("team.errors.empty");
    const taken = /already belongs to (.+)$/.exec(message);
    if (taken) return t("team.errors.emailTaken", { member: taken[1] });
    return message;
  };
}

/** A label, a control and the API's error for that field right under it (tied to the control for screen readers). */
function FormField({
  label,
  error,
  children,
  testId,
}: {
  label: string;
  error?: string;
  children: (a11y: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="field team-field" data-testid={testId} data-invalid={error ? "true" : undefined}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(error ? { id, "aria-describedby": `${id}-error`, "aria-invalid": true } : { id })}
      {error ? (
        <span className="form-error" id={`${id}-error`} role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** Create or edit a member: name, email, team, role label and capacity, with the API's errors by field. */
function MemberForm({ member, teams, onDone }: { member: Member | null; teams: Team[]; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveMember();
  const message = useFieldMessage();
  const [name, setName] = useState(member?.name ?? "");
  const [email, setEmail] = useState(member?.email ?? "");
  const [teamId, setTeamId] = useState(member?.teamId ?? "");
  const [role, setRole] = useState(member?.role ?? "");
  const [capacity, setCapacity] = useState(member?.capacity == null ? "" : String(member.capacity));
  const errors = fieldErrors(save.error);
  const known = new Set(["name", "email", "teamId", "role", "capacity"]);
  const other = save.error && !Object.keys(errors).some((f) => known.has(f)) ? save.error : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cap = capacity.trim();
    save.mutate(
      {
        id: member?.id ?? null,
        input: {
          name,
          email,
          teamId: teamId === "" ? null : teamId,
          role: role.trim() === "" ? null : role,
          // A capacity that is not a number goes to the API as written, so its rule names the field.
          capacity: cap === "" ? null : (Number(cap) as number),
        },
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="team-form" onSubmit={onSubmit} noValidate data-testid="member-form">
      <FormField label={t("team.fields.name")} error={message(errors.name)} testId="member-name">
        {(a) => (
          <>
            <input {...a} className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </>
        )}
      </FormField>
      <FormField label={t("team.fields.email")} error={message(errors.email)} testId="member-email">
        {(a) => (
          <>
            <input
              {...a}
              className="input"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </>
        )}
      </FormField>
      <FormField label={t("team.fields.team")} error={message(errors.teamId)} testId="member-team">
        {(a) => (
          <>
            <select {...a} className="select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">{t("team.noTeam")}</option>
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </>
        )}
      </FormField>
      <FormField label={t("team.fields.role")} error={message(errors.role)} testId="member-role">
        {(a) => (
          <>
            <input
              {...a}
              className="input"
              value={role}
              placeholder={t("team.rolePlaceholder")}
              onChange={(e) => setRole(e.target.value)}
            />
          </>
        )}
      </FormField>
      <FormField label={t("team.fields.capacity")} error={message(errors.capacity)} testId="member-capacity">
        {(a) => (
          <>
            <input
              {...a}
              className="input input-number"
              type="number"
              min={0}
              step={1}
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
            />
            <span className="muted small">{t("team.capacityHint")}</span>
          </>
        )}
      </FormField>
      {other ? <ErrorBanner error={other} /> : null}
      <div className="team-form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.isPending}
          data-testid="member-save"
        >
          {member ? t("team.save") : t("team.add")}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          {t("team.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Deactivation: what moves (open tasks, accounts) and to whom: a named successor or the team's pool. */
function DeactivateForm({
  member,
  load,
  teams,
  members,
  onDone,
}: {
  member: Member;
  load: MemberLoad | undefined;
  teams: Team[];
  members: Member[];
  onDone: (notice: string) => void;
}) {
  const { t } = useTranslation();
  const deactivate = useDeactivateMember();
  const [mode, setMode] = useState<"successor" | "pool">("successor");
  const [choice, setChoice] = useState("");
  const successorId = ownerTarget(choice);
  const ready = mode === "pool" || (successorId !== null && "ownerId" in successorId);
  const teamName = member.teamName ?? t("team.noTeam");
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const target =
      mode === "pool" ? null : successorId && "ownerId" in successorId ? successorId.ownerId : null;
    deactivate.mutate(
      { id: member.id, successorId: target },
      {
        onSuccess: (res) => {
          const to =
            res.successorId === null
              ? t("team.poolOf", { team: teamName })
              : (members.find((m) => m.id === res.successorId)?.name ?? res.successorId);
          onDone(
            t("team.deactivated", {
              name: member.name,
              tasks: t("team.openTasks", { count: res.tasksMoved }),
              accounts: t("team.accounts", { count: res.accountsMoved.length }),
              to,
            }),
          );
        },
      },
    );
  };
  return (
    <form className="team-form" onSubmit={onSubmit} data-testid="deactivate-form">
      <p data-testid="deactivate-moves" data-tasks={load?.openTasks ?? 0} data-accounts={member.accounts}>
        {t("team.willMove", {
          tasks: t("team.openTasks", { count: load?.openTasks ?? 0 }),
          accounts: t("team.accounts", { count: member.accounts }),
        })}
      </p>
      <fieldset className="team-choice">
        <legend className="field-label">{t("team.handTo")}</legend>
        <label className="inline-field">
          <input
            type="radio"
            name="hand-to"
            checked={mode === "successor"}
            onChange={() => setMode("successor")}
            data-testid="deactivate-mode-successor"
          />
          {t("team.successor")}
        </label>
        <OwnerSelect
          teams={teams}
          members={members}
          value={choice}
          onChange={(v) => {
            setChoice(v);
            setMode("successor");
          }}
          exclude={member.id}
          pools={false}
          label={t("team.successor")}
          placeholder={t("team.chooseMember")}
          testId="deactivate-successor"
        />
        <label className="inline-field">
          <input
            type="radio"
            name="hand-to"
            checked={mode === "pool"}
            onChange={() => setMode("pool")}
            data-testid="deactivate-mode-pool"
          />
          {t("team.backToPool", { team: teamName })}
        </label>
      </fieldset>
      {deactivate.error ? <ErrorBanner error={deactivate.error} /> : null}
      <div className="team-form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={!ready || deactivate.isPending}
          data-testid="deactivate-confirm"
        >
          {t("team.deactivate")}
        </button>
      </div>
    </form>
  );
}

/** A member's whole book to another member or a team's pool. */
function BookForm({
  member,
  teams,
  members,
  onDone,
}: {
  member: Member;
  teams: Team[];
  members: Member[];
  onDone: (notice: string) => void;
}) {
  const { t } = useTranslation();
  const reassign = useReassignBook();
  const [choice, setChoice] = useState("");
  const to = ownerTarget(choice);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (to === null) return;
    reassign.mutate(
      { id: member.id, to },
      {
        onSuccess: (res) => {
          const name =
            "ownerId" in to
              ? (members.find((m) => m.id === to.ownerId)?.name ?? to.ownerId)
              : t("team.poolOf", { team: teams.find((x) => x.id === to.teamId)?.name ?? "" });
          onDone(t("team.bookMoved", { from: member.name, count: res.accountIds.length, to: name }));
        },
      },
    );
  };
  return (
    <form className="team-form" onSubmit={onSubmit} data-testid="book-form">
      <p>{t("team.bookSize", { name: member.name, count: member.accounts })}</p>
      <OwnerSelect
        teams={teams}
        members={members}
        value={choice}
        onChange={setChoice}
        exclude={member.id}
        label={t("team.reassignTo")}
        testId="book-target"
      />
      {reassign.error ? <ErrorBanner error={reassign.error} /> : null}
      <div className="team-form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={to === null || member.accounts === 0 || reassign.isPending}
          data-testid="book-confirm"
        >
          {t("team.reassignBook")}
        </button>
      </div>
    </form>
  );
}

/** One team: its name (renamed in place), kind, members and pool. */
function TeamRow({ team, members, poolAccounts }: { team: Team; members: Member[]; poolAccounts: number }) {
  const { t } = useTranslation();
  const save = useSaveTeam();
  const [draft, setDraft] = useState<string | null>(null);
  const active = members.filter((m) => m.active && m.teamId === team.id);
  const kind = (KINDS as readonly string[]).includes(team.kind) ? t(`team.kinds.${team.kind}`) : team.kind;
  return (
    <tr data-testid="team-row" data-team-id={team.id}>
      <td>
        {draft === null ? (
          <span className="team-name">
            <strong translate="no">{team.name}</strong>
            <button
              type="button"
              className="link-button small"
              onClick={() => setDraft(team.name)}
              data-testid="team-rename"
            >
              {t("team.rename")}
            </button>
          </span>
        ) : (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate({ id: team.id, name: draft, kind: team.kind }, { onSuccess: () => setDraft(null) });
            }}
          >
            <input
              className="input"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-label={t("team.fields.teamName")}
              data-testid="team-rename-input"
            />
            <button type="submit" className="button button-small" disabled={save.isPending}>
              {t("team.save")}
            </button>
            <button type="button" className="button button-small button-ghost" onClick={() => setDraft(null)}>
              {t("team.cancel")}
            </button>
          </form>
        )}
        {save.error ? (
          <div className="form-error">{fieldErrors(save.error).name ?? save.error.message}</div>
        ) : null}
        <div className="muted small">{kind}</div>
      </td>
      <td className="team-members-cell">
        {active.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="muted small" translate="no">
            {active.map((m) => m.name).join(", ")}
          </span>
        )}
      </td>
      <td className="num">{active.length}</td>
      <td className="num">{active.reduce((s, m) => s + m.accounts, 0)}</td>
      <td className="num" data-testid="team-pool">
        {poolAccounts}
      </td>
    </tr>
  );
}

/** New team: a name and how it works. */
function NewTeamForm() {
  const { t } = useTranslation();
  const save = useSaveTeam();
  const message = useFieldMessage();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<string>("mid_market");
  const errors = fieldErrors(save.error);
  return (
    <form
      className="team-new"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ name, kind }, { onSuccess: () => setName("") });
      }}
      data-testid="team-new"
    >
      <FormField label={t("team.fields.teamName")} error={message(errors.name)} testId="team-new-name">
        {(a) => (
          <>
            <input {...a} className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </>
        )}
      </FormField>
      <FormField label={t("team.fields.kind")} error={message(errors.kind)} testId="team-new-kind">
        {(a) => (
          <>
            <select {...a} className="select" value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`team.kinds.${k}`)}
                </option>
              ))}
            </select>
          </>
        )}
      </FormField>
      <button type="submit" className="button" disabled={save.isPending} data-testid="team-new-save">
        {t("team.addTeam")}
      </button>
      {save.error && Object.keys(errors).length === 0 ? <ErrorBanner error={save.error} /> : null}
    </form>
  );
}

/** The book against capacity: "48 / 45 · 107%" over a bar, red when over capacity. */
function LoadCell({ member, load }: { member: Member; load: MemberLoad | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const capacity = load?.capacity ?? member.capacity;
  const share = load?.utilization ?? null;
  const over = share !== null && share > 1;
  return (
    <div
      className={over ? "team-load team-load-over" : "team-load"}
      data-testid="member-load"
      data-utilization={share ?? ""}
      title={over ? t("team.overloaded") : undefined}
    >
      <span>
        <strong data-testid="member-book" data-value={member.accounts}>
          {member.accounts}
        </strong>
        {capacity === null ? (
          <span className="muted small"> · {t("team.noCapacity")}</span>
        ) : (
          <span className="muted small"> / {capacity}</span>
        )}
        {share !== null ? <span className="team-load-share small"> · {fmt.percent(share, 0)}</span> : null}
      </span>
      {share !== null ? (
        <span className="team-load-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
        </span>
      ) : null}
    </div>
  );
}

type SortKey = "name" | "load" | "arr" | "tasks";

/** Settings → Team: teams, members (create, edit, deactivate, reactivate), books and load against capacity. */
export function TeamPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const team = useTeam();
  const workload = useWorkload();
  const reactivate = useReactivateMember();
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [teamFilter, setTeamFilter] = useState("");
  const [showInactive, setShowInactive] = useState(false);
  // Fullest first: a manager opens this page to see who is overloaded.
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "load", desc: true });
  const loads = useMemo(
    () => new Map((workload.data?.members ?? []).map((m) => [m.memberId, m])),
    [workload.data],
  );
  const pools = useMemo(
    () => new Map((workload.data?.pools ?? []).map((p) => [p.teamId, p.accounts])),
    [workload.data],
  );
  if (team.isPending) return <Skeleton height={400} />;
  if (team.error) return <ErrorBanner error={team.error} onRetry={() => void team.refetch()} />;
  const { teams, members } = team.data;
  const shown = members.filter(
    (m) =>
      (showInactive || m.active) &&
      (teamFilter === "" || (teamFilter === "-" ? m.teamId === null : m.teamId === teamFilter)),
  );
  const sortValue = (m: Member): number | string => {
    const load = loads.get(m.id);
    if (sort.key === "name") return m.name.toLowerCase();
    if (sort.key === "arr") return load?.arr ?? -1;
    if (sort.key === "tasks") return load?.openTasks ?? -1;
    return load?.utilization ?? (m.active ? -1 : -2);
  };
  const sorted = [...shown].sort((a, b) => {
    const x = sortValue(a);
    const y = sortValue(b);
    const c = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return sort.desc && x !== y ? -c : c;
  });
  const header = (key: SortKey, label: string, numeric = false) => {
    const active = sort.key === key;
    return (
      <th
        className={numeric ? "num" : undefined}
        aria-sort={active ? (sort.desc ? "descending" : "ascending") : undefined}
      >
        <button
          type="button"
          className="sort-button"
          data-active={active ? (sort.desc ? "desc" : "asc") : undefined}
          data-testid={`members-sort-${key}`}
          onClick={() => setSort({ key, desc: active ? !sort.desc : key !== "name" })}
        >
          {label}
          <span aria-hidden="true" className="sort-arrow">
            {active ? (sort.desc ? "▼" : "▲") : "↕"}
          </span>
        </button>
      </th>
    );
  };
  const overloaded = members.filter((m) => (loads.get(m.id)?.utilization ?? 0) > 1).length;
  const inactive = members.filter((m) => !m.active).length;
  const close = () => setPanel(null);
  const done = (text: string) => {
    setNotice(text);
    setPanel(null);
  };

  return (
    <div className="page" data-testid="team-page">
      <header className="page-header">
        <h1 className="page-title">{t("team.title")}</h1>
        <span className="muted">
          {t("team.summary", { members: members.length - inactive, teams: teams.length })}
          {overloaded > 0 ? ` · ${t("team.overloadedCount", { count: overloaded })}` : ""}
        </span>
        <div className="page-header-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => setPanel({ kind: "member", member: null })}
            data-testid="member-new"
          >
            {t("team.newMember")}
          </button>
        </div>
      </header>
      {notice ? (
        <p className="team-notice" role="status" data-testid="team-notice">
          {notice}
        </p>
      ) : null}
      {reactivate.error ? <ErrorBanner error={reactivate.error} /> : null}

      <Card title={t("team.teamsTitle")} testId="teams-card">
        {teams.length === 0 ? (
          <EmptyState>{t("team.noTeams")}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="teams-table">
              <thead>
                <tr>
                  <th>{t("team.columns.team")}</th>
                  <th>{t("team.columns.members")}</th>
                  <th className="num">{t("team.columns.memberCount")}</th>
                  <th className="num">{t("team.columns.owned")}</th>
                  <th className="num">{t("team.columns.pool")}</th>
                </tr>
              </thead>
              <tbody>
                {teams.map((x) => (
                  <TeamRow key={x.id} team={x} members={members} poolAccounts={pools.get(x.id) ?? 0} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <NewTeamForm />
      </Card>

      <Card
        title={t("team.membersTitle")}
        subtitle={
          workload.data ? t("team.membersSubtitle", { date: fmt.date(workload.data.asOf) }) : undefined
        }
        testId="members-card"
        actions={
          <div className="inline-field">
            <select
              className="select select-compact"
              value={teamFilter}
              onChange={(e) => setTeamFilter(e.target.value)}
              aria-label={t("team.fields.team")}
              data-testid="members-team-filter"
            >
              <option value="">{t("team.allTeams")}</option>
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
              <option value="-">{t("team.noTeam")}</option>
            </select>
            <label className="inline-field small">
              <input
                type="checkbox"
                checked={showInactive}
                onChange={(e) => setShowInactive(e.target.checked)}
                data-testid="members-show-inactive"
              />
              {t("team.showInactive", { count: inactive })}
            </label>
          </div>
        }
      >
        {workload.error ? (
          <ErrorBanner error={workload.error} onRetry={() => void workload.refetch()} />
        ) : null}
        {shown.length === 0 ? (
          <EmptyState>{t("team.noMembers")}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="members-table">
              <thead>
                <tr>
                  {header("name", t("team.columns.member"))}
                  <th>{t("team.columns.team")}</th>
                  {header("load", t("team.columns.load"))}
                  {header("arr", t("team.columns.arr"), true)}
                  {header("tasks", t("team.columns.tasks"), true)}
                  <th>{t("team.columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((m) => {
                  const load = loads.get(m.id);
                  return (
                    <tr
                      key={m.id}
                      data-testid="member-row"
                      data-member-id={m.id}
                      data-active={m.active}
                      className={m.active ? undefined : "team-inactive"}
                    >
                      <td>
                        <div translate="no">{m.name}</div>
                        <div className="muted small" translate="no">
                          {m.email}
                        </div>
                      </td>
                      <td>
                        <div translate="no">{m.teamName ?? <span className="muted">—</span>}</div>
                        {m.role ? (
                          <div className="muted small" translate="no">
                            {m.role}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <LoadCell member={m} load={load} />
                        {m.active ? null : (
                          <span className="muted small">
                            {t("team.inactiveSince", {
                              date: m.deactivatedAt ? fmt.date(m.deactivatedAt.slice(0, 10)) : "—",
                            })}
                          </span>
                        )}
                      </td>
                      <td className="num">
                        {load ? fmt.currency(load.arr) : <span className="muted">—</span>}
                      </td>
                      <td className="num" data-testid="member-tasks" data-open={load?.openTasks ?? 0}>
                        {load ? (
                          <>
                            {load.openTasks}
                            {load.overdueTasks > 0 ? (
                              <span className="negative small">
                                {" "}
                                {t("team.overdueTasks", { count: load.overdueTasks })}
                              </span>
                            ) : null}
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="team-actions">
                        <button
                          type="button"
                          className="button button-small button-ghost"
                          onClick={() => setPanel({ kind: "member", member: m })}
                          data-testid="member-edit"
                        >
                          {t("team.edit")}
                        </button>
                        {m.active ? (
                          <>
                            <button
                              type="button"
                              className="button button-small button-ghost"
                              disabled={m.accounts === 0}
                              onClick={() => setPanel({ kind: "book", member: m })}
                              data-testid="member-book-reassign"
                            >
                              {t("team.reassignBook")}
                            </button>
                            <button
                              type="button"
                              className="button button-small button-ghost"
                              onClick={() => setPanel({ kind: "deactivate", member: m })}
                              data-testid="member-deactivate"
                            >
                              {t("team.deactivate")}
                            </button>
                          </>
                        ) : (
                          <button
                            type="button"
                            className="button button-small button-ghost"
                            disabled={reactivate.isPending}
                            onClick={() =>
                              reactivate.mutate(m.id, {
                                onSuccess: () => setNotice(t("team.reactivated", { name: m.name })),
                              })
                            }
                            data-testid="member-reactivate"
                          >
                            {t("team.reactivate")}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      {panel?.kind === "member" ? (
        <Drawer
          title={panel.member ? t("team.editMember", { name: panel.member.name }) : t("team.newMember")}
          onClose={close}
          testId="member-drawer"
        >
          <MemberForm member={panel.member} teams={teams} onDone={close} />
        </Drawer>
      ) : null}
      {panel?.kind === "deactivate" ? (
        <Drawer
          title={t("team.deactivateTitle", { name: panel.member.name })}
          onClose={close}
          testId="deactivate-drawer"
        >
          <DeactivateForm
            member={panel.member}
            load={loads.get(panel.member.id)}
            teams={teams}
            members={members}
            onDone={done}
          />
        </Drawer>
      ) : null}
      {panel?.kind === "book" ? (
        <Drawer title={t("team.bookTitle", { name: panel.member.name })} onClose={close} testId="book-drawer">
          <BookForm member={panel.member} teams={teams} members={members} onDone={done} />
        </Drawer>
      ) : null}
    </div>
  );
}
