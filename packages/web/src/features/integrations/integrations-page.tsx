import { useState } from "react";
import { useTranslation } from "react-i18next";
import { DeliveryLogPanel } from "./delivery-log-panel";
import { SettingsPanel } from "./settings-panel";
import { ChannelsPanel, EndpointsPanel } from "./targets-panels";
import { TemplatesPanel } from "./templates-panel";

const TABS = ["templates", "endpoints", "channels", "log", "settings"] as const;
type Tab = (typeof TABS)[number];

/** Settings → Integrations: email templates, webhooks, team chats, quiet hours and SMTP, and the delivery log. */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("templates");
  return (
    <div className="page" data-testid="integrations-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t("integrations.title")}</h1>
          <p className="muted small">{t("integrations.subtitle")}</p>
        </div>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? "tab tab-active" : "tab"}
            onClick={() => setTab(k)}
            data-testid={`integrations-tab-${k}`}
          >
            {t(`integrations.tabs.${k}`)}
          </button>
        ))}
      </div>
      {tab === "templates" ? <TemplatesPanel /> : null}
      {tab === "endpoints" ? <EndpointsPanel /> : null}
      {tab === "channels" ? <ChannelsPanel /> : null}
      {tab === "log" ? <DeliveryLogPanel /> : null}
      {tab === "settings" ? <SettingsPanel /> : null}
    </div>
  );
}
