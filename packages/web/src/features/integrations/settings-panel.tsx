import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ErrorBanner } from "../../components/states";
import { useDeliverySettings, useSaveDeliverySettings } from "./queries";

/** The workspace's time zone, quiet hours (emails and chats wait) and its own SMTP server. */
export function SettingsPanel() {
  const { t } = useTranslation();
  const settings = useDeliverySettings();
  const save = useSaveDeliverySettings();
  const [timeZone, setTimeZone] = useState("UTC");
  const [quiet, setQuiet] = useState(false);
  const [start, setStart] = useState("22:00");
  const [end, setEnd] = useState("08:00");
  const [smtpUrl, setSmtpUrl] = useState("");
  const [smtpFrom, setSmtpFrom] = useState("");
  const data = settings.data;
  useEffect(() => {
    if (data === undefined) return;
    setTimeZone(data.timeZone);
    setQuiet(data.quietHours !== null);
    if (data.quietHours !== null) {
      setStart(data.quietHours.start);
      setEnd(data.quietHours.end);
    }
    setSmtpUrl(data.smtp?.url ?? "");
    setSmtpFrom(data.smtp?.from ?? "");
  }, [data]);
  const submit = () =>
    save.mutate({
      timeZone,
      quietHours: quiet ? { start, end } : null,
      smtp: smtpUrl === "" ? null : { url: smtpUrl, from: smtpFrom },
    });
  return (
    <Card title={t("integrations.tabs.settings")} testId="delivery-settings">
      <div className="stack">
        {settings.error ? (
          <ErrorBanner error={settings.error} onRetry={() => void settings.refetch()} />
        ) : null}
        <label className="inline-field">
          <span className="filter-label">{t("integrations.settings.timeZone")}</span>
          <input
            className="input"
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            data-testid="settings-tz"
          />
        </label>
        <div className="filter-bar">
          <label className="inline-field">
            <input
              type="checkbox"
              checked={quiet}
              onChange={(e) => setQuiet(e.target.checked)}
              data-testid="settings-quiet"
            />
            <span>{t("integrations.settings.quiet")}</span>
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.settings.start")}</span>
            <input
              className="input"
              type="time"
              value={start}
              disabled={!quiet}
              onChange={(e) => setStart(e.target.value)}
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.settings.end")}</span>
            <input
              className="input"
              type="time"
              value={end}
              disabled={!quiet}
              onChange={(e) => setEnd(e.target.value)}
            />
          </label>
        </div>
        <p className="muted small">{t("integrations.settings.quietHint")}</p>
        <div className="filter-bar">
          <label className="inline-field">
            <span className="filter-label">{t("integrations.settings.smtpUrl")}</span>
            <input
              className="input"
              value={smtpUrl}
              placeholder="smtp://user:password@smtp.example.com:587"
              onChange={(e) => setSmtpUrl(e.target.value)}
              data-testid="settings-smtp-url"
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.settings.smtpFrom")}</span>
            <input
              className="input"
              value={smtpFrom}
              onChange={(e) => setSmtpFrom(e.target.value)}
              data-testid="settings-smtp-from"
            />
          </label>
        </div>
        <p className="muted small">
          {t("integrations.settings.smtpHint")}{" "}
          {data?.smtpFromEnvironment
            ? t("integrations.settings.smtpEnv")
            : t("integrations.settings.smtpNoEnv")}
        </p>
        {save.error ? <ErrorBanner error={save.error} /> : null}
        {save.isSuccess ? <span className="badge">{t("integrations.settings.saved")}</span> : null}
        <div>
          <button
            type="button"
            className="button button-primary"
            onClick={submit}
            data-testid="settings-save"
          >
            {t("integrations.common.save")}
          </button>
        </div>
      </div>
    </Card>
  );
}
