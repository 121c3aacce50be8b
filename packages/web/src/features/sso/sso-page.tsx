import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiFetch } from "../../api/client";
import type { Schema } from "../../api/schema";
import { useMe } from "../../auth/me-context";
import { Card } from "../../components/card";
import { ErrorBanner, Skeleton } from "../../components/states";

type SsoSettings = Schema<"SsoSettings">;
type DefaultRole = "none" | "viewer" | "csm";
const QUERY_KEY = ["settings", "sso"] as const;

/**
 * Settings → Sign-in (SSO), for admins: the workspace's OpenID Connect provider (issuer, client,
 * the email domains it serves, the role of people who come without an invitation). The client
 * secret is written, never read back.
 */
export function SsoPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: QUERY_KEY,
    queryFn: () => apiFetch<SsoSettings>("/api/settings/sso"),
    enabled: me.role === "admin",
  });
  const [issuer, setIssuer] = useState("");
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const [domains, setDomains] = useState("");
  const [defaultRole, setDefaultRole] = useState<DefaultRole>("none");
  const [saved, setSaved] = useState(false);
  const provider = settings.data?.provider ?? null;

  useEffect(() => {
    if (provider === null) return;
    setIssuer(provider.issuer);
    setClientId(provider.clientId);
    setDomains(provider.domains.join(", "));
    setDefaultRole(provider.defaultRole ?? "none");
  }, [provider]);

  const save = useMutation({
    mutationFn: () =>
      apiFetch<SsoSettings>("/api/settings/sso", {
        method: "PUT",
        body: {
          issuer: issuer.trim(),
          clientId: clientId.trim(),
          ...(clientSecret === "" ? {} : { clientSecret }),
          domains: domains
            .split(/[,\s]+/)
            .map((d) => d.trim())
            .filter((d) => d !== ""),
          defaultRole: defaultRole === "none" ? null : defaultRole,
        },
      }),
    onSuccess: (data) => {
      client.setQueryData(QUERY_KEY, data);
      setClientSecret("");
      setSaved(true);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch<{ ok: true }>("/api/settings/sso", { method: "DELETE" }),
    onSuccess: () => {
      setIssuer("");
      setClientId("");
      setDomains("");
      setDefaultRole("none");
      void client.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });

  if (me.role !== "admin")
    return (
      <div className="page" data-testid="sso-page">
        <p className="muted">{t("sso.adminOnly")}</p>
      </div>
    );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  };
  const field = (
    key: "issuer" | "clientId" | "clientSecret" | "domains",
    value: string,
    set: (v: string) => void,
  ) => (
    <label className="field">
      <span className="field-label">{t(`sso.${key}`)}</span>
      <input
        className="input"
        type={key === "clientSecret" ? "password" : "text"}
        autoComplete="off"
        value={value}
        placeholder={key === "clientSecret" && provider?.clientSecretSet ? t("sso.secretKept") : undefined}
        onChange={(e) => set(e.target.value)}
        data-testid={`sso-${key}`}
      />
      <span className="muted small">{t(`sso.${key}Help`)}</span>
    </label>
  );

  return (
    <div className="page" data-testid="sso-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t("sso.title")}</h1>
          <p className="muted small">{t("sso.subtitle")}</p>
        </div>
      </div>
      {settings.error || save.error || remove.error ? (
        <ErrorBanner error={settings.error ?? save.error ?? remove.error} />
      ) : null}
      {settings.isPending ? <Skeleton height={200} /> : null}
      {settings.data ? (
        <>
          <Card title={t("sso.redirectUri")} testId="sso-redirect">
            <p className="muted small">{t("sso.redirectHelp")}</p>
            <code translate="no" data-testid="sso-redirect-uri">
              {settings.data.redirectUri}
            </code>
          </Card>
          <Card title={provider === null ? t("sso.setUp") : t("sso.provider")} testId="sso-form">
            <form onSubmit={onSubmit} className="sign-in-form" noValidate>
              {field("issuer", issuer, setIssuer)}
              {field("clientId", clientId, setClientId)}
              {field("clientSecret", clientSecret, setClientSecret)}
              {field("domains", domains, setDomains)}
              <label className="field">
                <span className="field-label">{t("sso.defaultRole")}</span>
                <select
                  className="select"
                  value={defaultRole}
                  onChange={(e) => setDefaultRole(e.target.value as DefaultRole)}
                  data-testid="sso-defaultRole"
                >
                  <option value="none">{t("sso.roleNone")}</option>
                  <option value="viewer">{t("userRoles.viewer")}</option>
                  <option value="csm">{t("userRoles.csm")}</option>
                </select>
                <span className="muted small">{t("sso.defaultRoleHelp")}</span>
              </label>
              {saved ? (
                <p className="muted" role="status" data-testid="sso-saved">
                  {t("sso.saved")}
                </p>
              ) : null}
              <div className="row-actions">
                <button
                  type="submit"
                  className="button button-primary"
                  disabled={save.isPending}
                  data-testid="sso-save"
                >
                  {save.isPending ? t("sso.checking") : t("sso.save")}
                </button>
                {provider !== null ? (
                  <button
                    type="button"
                    className="button button-ghost"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(t("sso.turnOffConfirm"))) remove.mutate();
                    }}
                    data-testid="sso-remove"
                  >
                    {t("sso.turnOff")}
                  </button>
                ) : null}
              </div>
            </form>
          </Card>
        </>
      ) : null}
    </div>
  );
}
