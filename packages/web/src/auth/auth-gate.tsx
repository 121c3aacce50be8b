import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../components/states";
import { MeContext } from "./me-context";
import { loadSession, ME_QUERY_KEY } from "./session";
import { SignIn } from "./sign-in";

/** Renders children once a session exists; otherwise the sign-in screen. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: loadSession, staleTime: Number.POSITIVE_INFINITY });

  if (me.isPending) {
    return (
      <div className="splash" role="status">
        <div className="brand-mark" aria-hidden="true">
          T
        </div>
        <span>{t("app.loading")}</span>
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="splash">
        <ErrorBanner error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data) return <SignIn />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}
