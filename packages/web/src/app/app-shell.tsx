import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/me-context";
import { useCan } from "../auth/permissions";
import { ME_QUERY_KEY, signOut, signOutEverywhere, switchWorkspace } from "../auth/session";
import { LanguageSwitch } from "../components/language-switch";

const NAV = [
  { to: "/revenue", key: "revenue", icon: "◔" },
  { to: "/accounts", key: "accounts", icon: "▤" },
  { to: "/worklist", key: "worklist", icon: "☑" },
  { to: "/tasks", key: "tasks", icon: "✓" },
  { to: "/playbooks", key: "playbooks", icon: "▶" },
  { to: "/onboarding", key: "onboarding", icon: "◐" },
  { to: "/coverage", key: "coverage", icon: "◎" },
  { to: "/health/compare", key: "health", icon: "♥" },
  { to: "/predictions", key: "predictions", icon: "◈" },
  { to: "/predictions/backtest", key: "backtest", icon: "◇" },
  { to: "/renewals", key: "renewals", icon: "↻" },
  { to: "/automations", key: "automations", icon: "⚡" },
  { to: "/effects", key: "effects", icon: "Δ" },
] as const;

type Can = ReturnType<typeof useCan>;
const always = () => true;
const adminOnly = (_can: Can, role: string) => role === "admin";

/** Settings pages in the navigation, each shown only to whom it is useful. */
const SETTINGS_NAV = [
  { to: "/settings/scorecard", key: "scorecard", icon: "⚙", shown: always },
  { to: "/settings/team", key: "team", icon: "☺", shown: always },
  { to: "/settings/integrations", key: "integrations", icon: "⇄", shown: (can: Can) => can("settings") },
  { to: "/settings/users", key: "users", icon: "☺", shown: adminOnly },
  { to: "/settings/sso", key: "sso", icon: "⇥", shown: adminOnly },
  { to: "/settings/jobs", key: "jobs", icon: "↻", shown: always },
  { to: "/settings/keys", key: "keys", icon: "#", shown: (can: Can) => can("keys.manage") },
  { to: "/settings/audit", key: "audit", icon: "☰", shown: (can: Can) => can("audit.read") },
] as const;

/** Left navigation, top bar with workspace, language and sign-out, and the routed page. */
export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const queryClient = useQueryClient();

  const signedOut = () => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
    queryClient.setQueryData(ME_QUERY_KEY, { kind: "sign-in", demo: me.demo });
  };
  const onSignOut = async () => {
    await signOut();
    signedOut();
  };
  const onSignOutEverywhere = async () => {
    if (!window.confirm(t("header.signOutEverywhereConfirm"))) return;
    await signOutEverywhere().catch(() => undefined);
    signedOut();
  };
  const onSwitch = async (id: string) => {
    await switchWorkspace(id);
    // Everything cached belongs to the old workspace.
    queryClient.clear();
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <div className="brand-mark" aria-hidden="true">
            T
          </div>
          <span className="brand-name">{t("app.name")}</span>
        </div>
        <nav aria-label={t("nav.label")} className="nav" data-testid="main-nav">
          {NAV.map((item) => (
            <Link
              key={item.key}
              to={item.to}
              className="nav-item"
              activeProps={{ className: "nav-item nav-item-active", "aria-current": "page" }}
              activeOptions={{ includeSearch: false, exact: item.to === "/predictions" }}
              data-testid={`nav-${item.key}`}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {t(`nav.${item.key}`)}
            </Link>
          ))}
          <div className="nav-section">{t("nav.settings")}</div>
          {SETTINGS_NAV.filter((item) => item.shown(can, me.role)).map((item) => (
            <Link
              key={item.key}
              to={item.to}
              className="nav-item"
              activeProps={{ className: "nav-item nav-item-active", "aria-current": "page" }}
              data-testid={`nav-${item.key}`}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {t(`nav.${item.key}`)}
            </Link>
          ))}
          {/* The server's own page (Swagger UI), not a route of this app: a full page load. */}
          <a href="/api/docs" className="nav-item" target="_blank" rel="noopener" data-testid="nav-api-docs">
            <span className="nav-icon" aria-hidden="true">
              {"{}"}
            </span>
            {t("nav.apiDocs")}
          </a>
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="workspace">
            <span className="muted small">{t("header.workspace")}</span>
            {me.workspaces.length > 1 ? (
              <select
                className="input workspace-switcher"
                aria-label={t("header.switchWorkspace")}
                value={me.workspaceId}
                onChange={(e) => void onSwitch(e.target.value)}
                data-testid="workspace-switcher"
              >
                {me.workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            ) : (
              <span className="workspace-name" data-testid="workspace-name">
                {me.workspaceName}
              </span>
            )}
            {me.demo ? (
              <span className="badge" data-testid="demo-badge">
                {t("header.demo")}
              </span>
            ) : null}
          </div>
          <div className="topbar-actions">
            <LanguageSwitch />
            <span className="user-name" translate="no" data-testid="user-name">
              {me.user?.name ?? t("header.apiKey")}
            </span>
            <span className={`badge role-badge role-${me.role}`} data-testid="role-badge">
              {t(`userRoles.${me.role}`)}
            </span>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => void onSignOut()}
              data-testid="sign-out"
            >
              {t("header.signOut")}
            </button>
            {me.user ? (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => void onSignOutEverywhere()}
                data-testid="sign-out-everywhere"
              >
                {t("header.signOutEverywhere")}
              </button>
            ) : null}
          </div>
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** Fallback for unknown paths. */
export function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" data-testid="not-found">
      <p>{t("app.notFound")}</p>
      <Link to="/revenue" className="button">
        {t("app.backToRevenue")}
      </Link>
    </div>
  );
}
