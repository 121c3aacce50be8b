import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../api/client";
import { ME_QUERY_KEY, signIn } from "./session";
import { AuthCard, signInErrorText } from "./sign-in";

/** The field a server validation message names ("password: ..."), for showing it under that field. */
function fieldOf(cause: unknown): string | null {
  return cause instanceof ApiError ? (/^(?:Invalid json: )?(\w+):/.exec(cause.message)?.[1] ?? null) : null;
}

interface PasswordFormProps {
  title: string;
  intro?: string;
  /** Ask for a name (set-up, invitation) as well as the password. */
  withName: boolean;
  /** Ask for the email too (set-up). */
  withEmail: boolean;
  submitLabel: string;
  testId: string;
  /** Does the work; returns the email to sign in with. */
  onSubmit: (v: { name: string; email: string; password: string }) => Promise<string>;
}

/** Name, email and password (as asked) with a confirmation, then signs in with them. */
function PasswordForm(p: PasswordFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (p.withName && name.trim() === "") next.name = t("auth.nameRequired");
    if (p.withEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) next.email = t("auth.emailRequired");
    if (password.length < 8) next.password = t("auth.passwordShort");
    else if (password !== confirm) next.confirm = t("auth.passwordMismatch");
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setSubmitting(true);
    try {
      const signInEmail = await p.onSubmit({ name: name.trim(), email: email.trim(), password });
      await signIn(signInEmail, password);
      // A link page is outside the app: load the app afresh, now signed in.
      if (window.location.pathname !== "/") window.location.assign("/");
      else await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    } catch (cause) {
      const field = fieldOf(cause);
      const text = signInErrorText(t, cause);
      setErrors(
        field !== null && ["name", "email", "password"].includes(field) ? { [field]: text } : { form: text },
      );
    } finally {
      setSubmitting(false);
    }
  };

  const input = (key: "name" | "email" | "password" | "confirm", value: string, set: (v: string) => void) => (
    <label className="field">
      <span className="field-label">{t(`auth.${key}`)}</span>
      <input
        className="input"
        type={key === "password" || key === "confirm" ? "password" : key === "email" ? "email" : "text"}
        autoComplete={
          key === "password" || key === "confirm" ? "new-password" : key === "email" ? "username" : "name"
        }
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={errors[key] ? true : undefined}
        data-testid={`${p.testId}-${key}`}
      />
      {errors[key] ? <span className="form-error">{errors[key]}</span> : null}
    </label>
  );

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="sign-in-form">
      <h1 className="sign-in-title">{p.title}</h1>
      {p.intro ? <p className="muted">{p.intro}</p> : null}
      {p.withName ? input("name", name, setName) : null}
      {p.withEmail ? input("email", email, setEmail) : null}
      {input("password", password, setPassword)}
      {input("confirm", confirm, setConfirm)}
      {errors.form ? (
        <p className="form-error" role="alert" data-testid={`${p.testId}-error`}>
          {errors.form}
        </p>
      ) : null}
      <button
        type="submit"
        className="button button-primary"
        disabled={submitting}
        data-testid={`${p.testId}-submit`}
      >
        {p.submitLabel}
      </button>
    </form>
  );
}

/** First run: no user exists yet, so the first admin is created here. */
export function SetupPage() {
  const { t } = useTranslation();
  return (
    <AuthCard testId="setup-page">
      <PasswordForm
        title={t("auth.setupTitle")}
        intro={t("auth.setupIntro")}
        withName
        withEmail
        submitLabel={t("auth.setupSubmit")}
        testId="setup"
        onSubmit={async (v) => {
          await apiFetch("/api/setup", { method: "POST", body: v });
          return v.email;
        }}
      />
    </AuthCard>
  );
}

/** /invite/<token>: the invitee sets their name and password. */
export function InvitePage({ token }: { token: string }) {
  const { t } = useTranslation();
  const invite = useQuery({
    queryKey: ["invitation", token],
    queryFn: () =>
      apiFetch<{ email: string; role: string; workspaceName: string }>("/api/invitations/lookup", {
        method: "POST",
        body: { token },
      }),
    retry: false,
  });
  return (
    <AuthCard testId="invite-page">
      {invite.isPending ? <p className="muted">{t("app.loading")}</p> : null}
      {invite.isError ? (
        <p className="form-error" role="alert" data-testid="invite-invalid">
          {t("auth.inviteInvalid")}
        </p>
      ) : null}
      {invite.data ? (
        <PasswordForm
          title={t("auth.inviteTitle", { workspace: invite.data.workspaceName })}
          intro={t("auth.inviteIntro", {
            email: invite.data.email,
            role: t(`userRoles.${invite.data.role}`),
          })}
          withName
          withEmail={false}
          submitLabel={t("auth.inviteSubmit")}
          testId="invite"
          onSubmit={async (v) => {
            const r = await apiFetch<{ email: string }>("/api/invitations/accept", {
              method: "POST",
              body: { token, name: v.name, password: v.password },
            });
            return r.email;
          }}
        />
      ) : null}
    </AuthCard>
  );
}

/** /reset-password/<token>: a new password through an admin's reset link. */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useTranslation();
  return (
    <AuthCard testId="reset-page">
      <PasswordForm
        title={t("auth.resetTitle")}
        withName={false}
        withEmail={false}
        submitLabel={t("auth.resetSubmit")}
        testId="reset"
        onSubmit={async (v) => {
          const r = await apiFetch<{ email: string }>("/api/password-resets/accept", {
            method: "POST",
            body: { token, password: v.password },
          });
          return r.email;
        }}
      />
    </AuthCard>
  );
}
