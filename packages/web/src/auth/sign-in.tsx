import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../components/language-switch";
import { ME_QUERY_KEY, signIn } from "./session";

/** API-key sign-in form. */
export function SignIn() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) {
      setError(t("auth.keyRequired"));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      await signIn(key.trim());
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <main className="sign-in-page">
      <div className="sign-in-lang">
        <LanguageSwitch />
      </div>
      <form className="sign-in-card" onSubmit={onSubmit} data-testid="sign-in" noValidate>
        <div className="brand">
          <div className="brand-mark" aria-hidden="true">
            T
          </div>
          <span className="brand-name">{t("app.name")}</span>
        </div>
        <h1 className="sign-in-title">{t("auth.title")}</h1>
        <p className="muted">{t("auth.subtitle")}</p>
        <label className="field">
          <span className="field-label">{t("auth.key")}</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="sign-in-key"
          />
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
      </form>
    </main>
  );
}
