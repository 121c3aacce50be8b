import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";
import { LanguageSwitch } from "../components/language-switch";
import { ME_QUERY_KEY, signIn, signInDemo } from "./session";
import {
  ForgotPasswordForm,
  forgetSsoError,
  SsoSignInForm,
  ssoErrorOf,
  useSignInOptions,
} from "./sign-in-options";

/** The message for a failed sign-in, in the reader's language (the lockout names its wait). */
export function signInErrorText(
  t: (key: string, o?: Record<string, unknown>) => string,
  cause: unknown,
): string {
  if (cause instanceof ApiError) {
    if (cause.status === 401) return t("auth.invalid");
    if (cause.status === 403) return t("auth.deactivated");
    if (cause.status === 429) {
      const seconds = (cause.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
      return /locked/.test(cause.message)
        ? t("auth.locked", { minutes: Math.ceil(seconds / 60) })
        : t("auth.tooMany", { seconds });
    }
    return cause.message;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** The card every sign-in, set-up and invitation page shares. */
export function AuthCard({ children, testId }: { children: React.ReactNode; testId: string }) {
  const { t } = useTranslation();
  return (
    <main className="sign-in-page">
      <div className="sign-in-lang">
        <LanguageSwitch />
      </div>
      <div className="sign-in-card" data-testid={testId}>
        <div className="brand">
          <div className="brand-mark" aria-hidden="true">
            T
          </div>
          <span className="brand-name">{t("app.name")}</span>
        </div>
        {children}
      </div>
    </main>
  );
}

/**
 * Email and password sign-in, with "Sign in with SSO" when some workspace has a provider and "Forgot
 * password?"; the demo button only in demo mode.
 */
export function SignIn({ demo }: { demo: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const options = useSignInOptions();
  const [mode, setMode] = useState<"password" | "sso" | "forgot">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  // A refused SSO return lands here with ?error=<code>: said once, in the reader's language.
  const [error, setError] = useState<string | null>(() => ssoErrorOf(t));
  useEffect(forgetSsoError, []);
  const [submitting, setSubmitting] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setSubmitting(true);
    setError(null);
    try {
      await action();
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    } catch (cause) {
      setError(signInErrorText(t, cause));
    } finally {
      setSubmitting(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors: { email?: string; password?: string } = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) errors.email = t("auth.emailRequired");
    if (password === "") errors.password = t("auth.passwordRequired");
    setFieldErrors(errors);
    if (errors.email || errors.password) return;
    void run(() => signIn(email.trim(), password));
  };

  if (mode === "sso")
    return (
      <AuthCard testId="sign-in-page">
        <SsoSignInForm onBack={() => setMode("password")} />
      </AuthCard>
    );
  if (mode === "forgot")
    return (
      <AuthCard testId="sign-in-page">
        <ForgotPasswordForm
          byEmail={options.data?.passwordResetByEmail ?? true}
          onBack={() => setMode("password")}
        />
      </AuthCard>
    );

  return (
    <AuthCard testId="sign-in-page">
      <form onSubmit={onSubmit} data-testid="sign-in" noValidate className="sign-in-form">
        <h1 className="sign-in-title">{t("auth.title")}</h1>
        <p className="muted">{t("auth.subtitle")}</p>
        <label className="field">
          <span className="field-label">{t("auth.email")}</span>
          <input
            className="input"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={fieldErrors.email ? true : undefined}
            data-testid="sign-in-email"
          />
          {fieldErrors.email ? <span className="form-error">{fieldErrors.email}</span> : null}
        </label>
        <label className="field">
          <span className="field-label">{t("auth.password")}</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldErrors.password ? true : undefined}
            data-testid="sign-in-password"
          />
          {fieldErrors.password ? <span className="form-error">{fieldErrors.password}</span> : null}
        </label>
        {error ? (
          <p className="form-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="button button-primary"
          disabled={submitting}
          data-testid="sign-in-submit"
        >
          {submitting ? t("auth.submitting") : t("auth.submit")}
        </button>
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setMode("forgot")}
          data-testid="sign-in-forgot"
        >
          {t("auth.forgot")}
        </button>
        {options.data?.sso ? (
          <>
            <p className="muted small">{t("auth.or")}</p>
            <button
              type="button"
              className="button"
              disabled={submitting}
              onClick={() => setMode("sso")}
              data-testid="sign-in-sso"
            >
              {t("auth.ssoButton")}
            </button>
          </>
        ) : null}
        {demo ? (
          <button
            type="button"
            className="button"
            disabled={submitting}
            onClick={() => void run(signInDemo)}
            data-testid="sign-in-demo"
          >
            {t("auth.demo")}
          </button>
        ) : null}
      </form>
    </AuthCard>
  );
}
