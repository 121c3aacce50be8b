import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../../api/client";
import type { ApiResponse } from "../../api/schema";
import { useMe } from "../../auth/me-context";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useTeam } from "../tasks/api";

type UsersResponse = ApiResponse<"/users", "get">;
type User = UsersResponse["users"][number];
type IssuedLink = { id: string; email: string; expiresAt: string; emailed: boolean; url: string | null };

const ROLES = ["admin", "manager", "csm", "viewer"] as const;
const USERS_KEY = ["users"] as const;

/** The server's message about a field ("email: ..."), keyed by that field. */
function fieldErrorOf(cause: unknown): { field: string; message: string } {
  const message = cause instanceof Error ? cause.message : String(cause);
  const field = cause instanceof ApiError ? (/(?:^|: )(\w+): /.exec(message)?.[1] ?? "form") : "form";
  return { field, message };
}

/** A link the server could not email: shown once, to pass on. */
function LinkNotice({ link, onClose }: { link: IssuedLink; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice" role="status" data-testid="issued-link">
      {link.emailed ? (
        <p>{t("users.linkEmailed", { email: link.email })}</p>
      ) : (
        <>
          <p>{t("users.linkOnce", { email: link.email })}</p>
          <input className="input" readOnly value={link.url ?? ""} data-testid="issued-link-url" />
        </>
      )}
      <button type="button" className="button button-ghost" onClick={onClose}>
        {t("users.close")}
      </button>
    </div>
  );
}

/** Settings → Users: who can sign in to this workspace, with which role; invitations; deactivation; resets. */
export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const me = useMe();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => apiFetch<UsersResponse>("/api/users") });
  const team = useTeam();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("csm");
  const [memberId, setMemberId] = useState("");
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [link, setLink] = useState<IssuedLink | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });

  const invite = useMutation({
    mutationFn: () =>
      apiFetch<IssuedLink>("/api/invitations", {
        method: "POST",
        body: { email: email.trim(), role, memberId: memberId === "" ? null : memberId },
      }),
    onSuccess: async (issued) => {
      setLink(issued);
      setEmail("");
      setMemberId("");
      setError(null);
      await refresh();
    },
    onError: (cause) => setError(fieldErrorOf(cause)),
  });
  const act = useMutation({
    mutationFn: (a: { path: string; method: string; body?: unknown }) =>
      apiFetch<{ link?: IssuedLink | null }>(a.path, { method: a.method, body: a.body ?? {} }),
    onSuccess: async (r) => {
      if (r && "link" in r && r.link) setLink(r.link);
      await refresh();
    },
    onError: (cause) => setError(fieldErrorOf(cause)),
  });

  const onInvite = (event: FormEvent) => {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setError({ field: "email", message: t("auth.emailRequired") });
      return;
    }
    invite.mutate();
  };

  if (me.role !== "admin") return <EmptyState testId="users-forbidden">{t("users.adminOnly")}</EmptyState>;
  const members = team.data?.members ?? [];
  const memberName = (id: string | null) => members.find((m) => m.id === id)?.name ?? id ?? "—";

  return (
    <div className="page" data-testid="users-page">
      <h1 className="page-title">{t("users.title")}</h1>
      {link ? <LinkNotice link={link} onClose={() => setLink(null)} /> : null}
      {error?.field === "form" ? (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <Card title={t("users.invite")}>
        <form className="inline-form" onSubmit={onInvite} noValidate data-testid="invite-form">
          <label className="field">
            <span className="field-label">{t("auth.email")}</span>
            <input
              className="input"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={error?.field === "email" ? true : undefined}
              data-testid="invite-email"
            />
            {error?.field === "email" ? <span className="form-error">{error.message}</span> : null}
          </label>
          <label className="field">
            <span className="field-label">{t("users.role")}</span>
            <select
              className="input"
              value={role}
              onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}
              data-testid="invite-role"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`userRoles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t("users.member")}</span>
            <select
              className="input"
              value={memberId}
              onChange={(e) => setMemberId(e.target.value)}
              data-testid="invite-member"
            >
              <option value="">{t("users.noMember")}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
            {error?.field === "memberId" ? <span className="form-error">{error.message}</span> : null}
          </label>
          <button
            type="submit"
            className="button button-primary"
            disabled={invite.isPending}
            data-testid="invite-submit"
          >
            {t("users.sendInvite")}
          </button>
        </form>
      </Card>
      <Card title={t("users.list")}>
        {users.isPending ? <Skeleton height={120} /> : null}
        {users.isError ? <ErrorBanner error={users.error} onRetry={() => void users.refetch()} /> : null}
        {users.data ? (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>{t("auth.name")}</th>
                  <th>{t("auth.email")}</th>
                  <th>{t("users.role")}</th>
                  <th>{t("users.member")}</th>
                  <th>{t("users.lastSignIn")}</th>
                  <th>{t("users.status")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users.data.users.map((u: User) => (
                  <tr key={u.id} data-testid={`user-row-${u.email}`}>
                    <td translate="no">{u.name}</td>
                    <td translate="no">{u.email}</td>
                    <td>
                      <select
                        className="input"
                        value={u.role}
                        aria-label={t("users.role")}
                        disabled={u.id === me.user?.id}
                        onChange={(e) =>
                          act.mutate({
                            path: `/api/users/${u.id}`,
                            method: "PATCH",
                            body: { role: e.target.value },
                          })
                        }
                        data-testid={`user-role-${u.email}`}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`userRoles.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td translate="no">{memberName(u.memberId)}</td>
                    <td className="nowrap">
                      {u.lastSignInAt ? fmt.dateTime(u.lastSignInAt) : t("users.never")}
                    </td>
                    <td>{u.active ? t("users.active") : t("users.deactivated")}</td>
                    <td className="nowrap">
                      <div className="row-actions row-actions-tight">
                        <button
                          type="button"
                          className="button button-ghost"
                          onClick={() =>
                            act.mutate({ path: `/api/users/${u.id}/password-reset`, method: "POST" })
                          }
                          data-testid={`user-reset-${u.email}`}
                        >
                          {t("users.resetPassword")}
                        </button>
                        {u.id === me.user?.id ? null : (
                          <button
                            type="button"
                            className="button button-ghost"
                            onClick={() =>
                              act.mutate({
                                path: `/api/users/${u.id}/${u.active ? "deactivate" : "activate"}`,
                                method: "POST",
                              })
                            }
                            data-testid={`user-toggle-${u.email}`}
                          >
                            {u.active ? t("users.deactivate") : t("users.activate")}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {users.data && users.data.invitations.length > 0 ? (
          <>
            <h2 className="section-title">{t("users.pending")}</h2>
            <ul className="plain-list" data-testid="pending-invitations">
              {users.data.invitations.map((i) => (
                <li key={i.id}>
                  {i.email} · {t(`userRoles.${i.role}`)} ·{" "}
                  {t("users.expires", { date: fmt.dateTime(i.expiresAt) })}{" "}
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() => act.mutate({ path: `/api/invitations/${i.id}`, method: "DELETE" })}
                  >
                    {t("users.revoke")}
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Card>
    </div>
  );
}
