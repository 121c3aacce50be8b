import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, apiFetch } from "../api/client";

/** What the sign-in page offers besides the password: SSO, and password reset by email. */
export interface SignInOptions {
  sso: boolean;
  passwordResetByEmail: boolean;
}

/** GET /api/sign-in/options (public). */
export function useSignInOptions() {
  return useQuery({
    queryKey: ["sign-in-options"],
    queryFn: () => apiFetch<SignInOptions>("/api/sign-in/options"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

const SSO_CODES = ["sso_not_invited", "sso_wrong_domain", "sso_other_workspace", "sso_unknown_provider"];

/** The message of a failed SSO return (`/sign-in?error=<code>`) in the reader's language, or null. */
export function ssoErrorOf(t: (key: string, o?: Record<string, unknown>) => string): string | null {
  const code = new URLSearchParams(window.location.search).get("error");
  if (code === null) return null;
  return SSO_CODES.includes(code) ? t(`auth.ssoErrors.${code}`) : t("auth.ssoErrors.generic", { code });
}

/** Cleans a failed SSO return's address, so that a reload does not say it again. */
export function forgetSsoError(): void {
  if (new URLSearchParams(window.location.search).has("error")) window.history.replaceState(null, "", "/");
}

function EmailField({
  value,
  onChange,
  error,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  error: string | null;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="field">
      <span className="field-label">{t("auth.email")}</span>
      <input
        className="input"
        type="email"
        autoComplete="username"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        data-testid={testId}
      />
      {error ? <span className="form-error">{error}</span> : null}
    </label>
  );
}

const looksLikeEmail = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim());

/** Sign in with SSO: the work email picks the provider; the browser then goes to it. */
export function SsoSignInForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!looksLikeEmail(email)) {
      setFieldError(t("auth.emailRequired"));
      return;
    }
    setFieldError(null);
    setSubmitting(true);
    try {
      const { url } = await apiFetch<{ url: string }>("/api/auth/sign-in/sso", {
        method: "POST",
        body: { email: email.trim(), callbackURL: "/", errorCallbackURL: "/sign-in" },
      });
      window.location.assign(url);
    } catch (cause) {
      setSubmitting(false);
      if (cause instanceof ApiError && cause.status === 404) setError(t("auth.ssoNoProvider"));
      else setError(cause instanceof Error ? cause.message : String(cause));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="sign-in-form" data-testid="sso-sign-in">
      <h1 className="sign-in-title">{t("auth.ssoTitle")}</h1>
      <p className="muted">{t("auth.ssoIntro")}</p>
      <EmailField value={email} onChange={setEmail} error={fieldError} testId="sso-email" />
      {error ? (
        <p className="form-error" role="alert" data-testid="sso-error">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        className="button button-primary"
        disabled={submitting}
        data-testid="sso-continue"
      >
        {submitting ? t("auth.ssoRedirecting") : t("auth.ssoContinue")}
      </button>
      <button type="button" className="button button-ghost" onClick={onBack} data-testid="sign-in-back">
        {t("auth.back")}
      </button>
    </form>
  );
}

/** Forgot password: asks for a reset link by email (the answer is the same for every email). */
export function ForgotPasswordForm({ byEmail, onBack }: { byEmail: boolean; onBack: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!looksLikeEmail(email)) {
      setFieldError(t("auth.emailRequired"));
      return;
    }
    setFieldError(null);
    setSubmitting(true);
    try {
      const answer = await apiFetch<{ byEmail: boolean }>("/api/password-resets/request", {
        method: "POST",
        body: { email: email.trim() },
      });
      setOutcome(answer.byEmail ? t("auth.forgotSent", { email: email.trim() }) : t("auth.forgotNoEmail"));
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 429) {
        const seconds =
          (cause.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
        setError(t("auth.forgotTooMany", { minutes: Math.ceil(seconds / 60) }));
      } else setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="sign-in-form" data-testid="forgot-password">
      <h1 className="sign-in-title">{t("auth.forgotTitle")}</h1>
      {byEmail ? (
        <>
          <p className="muted">{t("auth.forgotIntro")}</p>
          <EmailField value={email} onChange={setEmail} error={fieldError} testId="forgot-email" />
          {outcome ? (
            <p className="muted" role="status" data-testid="forgot-sent">
              {outcome}
            </p>
          ) : null}
          {error ? (
            <p className="form-error" role="alert" data-testid="forgot-error">
              {error}
            </p>
          ) : null}
          <button
            type="submit"
            className="button button-primary"
            disabled={submitting || outcome !== null}
            data-testid="forgot-submit"
          >
            {t("auth.forgotSubmit")}
          </button>
        </>
      ) : (
        <p className="muted" data-testid="forgot-no-email">
          {t("auth.forgotNoEmail")}
        </p>
      )}
      <button type="button" className="button button-ghost" onClick={onBack} data-testid="sign-in-back">
        {t("auth.back")}
      </button>
    </form>
  );
}
