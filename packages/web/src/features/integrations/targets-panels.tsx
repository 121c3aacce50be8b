import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner } from "../../components/states";
import {
  useChannels,
  useDeleteChannel,
  useDeleteEndpoint,
  useEndpoints,
  useSaveChannel,
  useSaveEndpoint,
  useTestDelivery,
} from "./queries";
import { TestResult } from "./test-result";
import type { ChatKind } from "./types";

const KINDS: readonly ChatKind[] = ["wecom", "dingtalk", "feishu", "slack"];

/** Webhook endpoints: add (a whsec_ secret is made unless given), switch on or off, test, delete. */
export function EndpointsPanel() {
  const { t } = useTranslation();
  const endpoints = useEndpoints();
  const save = useSaveEndpoint();
  const remove = useDeleteEndpoint();
  const test = useTestDelivery();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const add = () =>
    save.mutate(
      { id: null, input: { name, url, ...(secret === "" ? {} : { secret }) } },
      {
        onSuccess: () => {
          setName("");
          setUrl("");
          setSecret("");
        },
      },
    );
  return (
    <Card
      title={t("integrations.tabs.endpoints")}
      subtitle={t("integrations.endpoints.hint")}
      testId="endpoints-card"
    >
      <div className="stack">
        {endpoints.error ? (
          <ErrorBanner error={endpoints.error} onRetry={() => void endpoints.refetch()} />
        ) : null}
        {endpoints.data?.endpoints.length === 0 ? (
          <EmptyState>{t("integrations.common.none")}</EmptyState>
        ) : null}
        {endpoints.data && endpoints.data.endpoints.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="endpoints-table">
              <thead>
                <tr>
                  <th>{t("integrations.common.name")}</th>
                  <th>{t("integrations.common.url")}</th>
                  <th>{t("integrations.common.secret")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {endpoints.data.endpoints.map((e) => (
                  <tr key={e.id}>
                    <td>{e.name}</td>
                    <td className="muted">{e.url}</td>
                    <td>
                      <code translate="no">{e.secret}</code>
                    </td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="button button-ghost"
                        onClick={() =>
                          save.mutate({ id: e.id, input: { name: e.name, url: e.url, enabled: !e.enabled } })
                        }
                      >
                        {e.enabled ? t("integrations.common.enabled") : t("integrations.common.disabled")}
                      </button>
                      <button
                        type="button"
                        className="button"
                        onClick={() => test.mutate({ channel: "webhook", endpointId: e.id })}
                        data-testid={`endpoint-test-${e.name}`}
                      >
                        {t("integrations.common.sendTest")}
                      </button>
                      <button
                        type="button"
                        className="button button-ghost"
                        onClick={() => remove.mutate(e.id)}
                      >
                        {t("integrations.common.delete")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <TestResult delivery={test.data} />
        {test.error ? <ErrorBanner error={test.error} /> : null}
        <div className="filter-bar">
          <label className="inline-field">
            <span className="filter-label">{t("integrations.common.name")}</span>
            <input
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="endpoint-name"
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.common.url")}</span>
            <input
              className="input"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="endpoint-url"
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.common.secret")}</span>
            <input
              className="input"
              value={secret}
              placeholder={t("integrations.endpoints.secretHint")}
              onChange={(e) => setSecret(e.target.value)}
              data-testid="endpoint-secret"
            />
          </label>
          <button type="button" className="button button-primary" onClick={add} data-testid="endpoint-add">
            {t("integrations.common.add")}
          </button>
        </div>
        {save.error ? <ErrorBanner error={save.error} /> : null}
      </div>
    </Card>
  );
}

/** Team chat channels (WeCom, DingTalk, Feishu, Slack incoming webhooks): add, switch, test, delete. */
export function ChannelsPanel() {
  const { t } = useTranslation();
  const channels = useChannels();
  const save = useSaveChannel();
  const remove = useDeleteChannel();
  const test = useTestDelivery();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ChatKind>("wecom");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const signed = kind === "dingtalk" || kind === "feishu";
  const add = () =>
    save.mutate(
      { id: null, input: { name, kind, url, secret: signed && secret !== "" ? secret : null } },
      {
        onSuccess: () => {
          setName("");
          setUrl("");
          setSecret("");
        },
      },
    );
  return (
    <Card title={t("integrations.tabs.channels")} testId="channels-card">
      <div className="stack">
        {channels.error ? (
          <ErrorBanner error={channels.error} onRetry={() => void channels.refetch()} />
        ) : null}
        {channels.data?.channels.length === 0 ? (
          <EmptyState>{t("integrations.common.none")}</EmptyState>
        ) : null}
        {channels.data && channels.data.channels.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="channels-table">
              <thead>
                <tr>
                  <th>{t("integrations.common.name")}</th>
                  <th>{t("integrations.channels.kind")}</th>
                  <th>{t("integrations.common.url")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {channels.data.channels.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{t(`integrations.channels.kinds.${c.kind}`)}</td>
                    <td className="muted">{c.url}</td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="button button-ghost"
                        onClick={() =>
                          save.mutate({
                            id: c.id,
                            input: {
                              name: c.name,
                              kind: c.kind,
                              url: c.url,
                              secret: c.secret,
                              enabled: !c.enabled,
                            },
                          })
                        }
                      >
                        {c.enabled ? t("integrations.common.enabled") : t("integrations.common.disabled")}
                      </button>
                      <button
                        type="button"
                        className="button"
                        onClick={() => test.mutate({ channel: "chat", channelId: c.id })}
                        data-testid={`channel-test-${c.name}`}
                      >
                        {t("integrations.common.sendTest")}
                      </button>
                      <button
                        type="button"
                        className="button button-ghost"
                        onClick={() => remove.mutate(c.id)}
                      >
                        {t("integrations.common.delete")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <TestResult delivery={test.data} />
        {test.error ? <ErrorBanner error={test.error} /> : null}
        <div className="filter-bar">
          <label className="inline-field">
            <span className="filter-label">{t("integrations.common.name")}</span>
            <input
              className="input"
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="channel-name"
            />
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.channels.kind")}</span>
            <select
              className="select select-compact"
              value={kind}
              onChange={(e) => setKind(e.target.value as ChatKind)}
              data-testid="channel-kind"
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`integrations.channels.kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span className="filter-label">{t("integrations.common.url")}</span>
            <input
              className="input"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="channel-url"
            />
          </label>
          {signed ? (
            <label className="inline-field">
              <span className="filter-label">{t("integrations.common.secret")}</span>
              <input
                className="input"
                value={secret}
                placeholder={t("integrations.channels.secretHint")}
                onChange={(e) => setSecret(e.target.value)}
                data-testid="channel-secret"
              />
            </label>
          ) : null}
          <button type="button" className="button button-primary" onClick={add} data-testid="channel-add">
            {t("integrations.common.add")}
          </button>
        </div>
        {save.error ? <ErrorBanner error={save.error} /> : null}
      </div>
    </Card>
  );
}
