import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../components/states";
import { InvitePage, ResetPasswordPage, SetupPage } from "./account-pages";
import { MeContext } from "./me-context";
import { loadSession, ME_QUERY_KEY } from "./session";
import { SignIn } from "./sign-in";

/** The one-time link pages, open without a session: /invite/<token> and /reset-password/<token>. */
function linkPage(): ReactNode | null {
  const m = /^\/(invite|reset-password)\/([^/]+)$/.exec(window.location.pathname);
  if (m === null) return null;
  const token = decodeURIComponent(m[2] ?? "");
  return m[1] === "invite" ? <InvitePage token={token} /> : <ResetPasswordPage token={token} />;
}

/** Renders children once a session exists; otherwise sign-in, first-run set-up or a link page. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const link = linkPage();
  const session = useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: loadSession,
    staleTime: Number.POSITIVE_INFINITY,
    enabled: link === null,
  });

  if (link !== null) return link;
  if (session.isPending) {
    return (
      <div className="splash" role="status">
        <div className="brand-mark" aria-hidden="true">
          T
        </div>
        <span>{t("app.loading")}</span>
      </div>
    );
  }
  if (session.isError) {
    return (
      <div className="splash">
        <ErrorBanner error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  }
  const state = session.data;
  if (state.kind === "setup") return <SetupPage />;
  if (state.kind === "sign-in") return <SignIn demo={state.demo} />;
  return <MeContext.Provider value={state.me}>{children}</MeContext.Provider>;
}
