import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner } from "../../components/states";
import {
  useDeleteTemplate,
  usePreviewTemplate,
  useSaveTemplate,
  useTemplates,
  useTemplateVariables,
  useTestDelivery,
} from "./queries";
import { TestResult } from "./test-result";
import type { DeliveryTemplate, TemplateInput } from "./types";

const EMPTY: TemplateInput = { name: "", locale: "en", subject: "", body: "" };

/** Email templates: the list, and an editor with the allowed variables, a live preview and a test send. */
export function TemplatesPanel() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const variables = useTemplateVariables();
  const save = useSaveTemplate();
  const remove = useDeleteTemplate();
  const preview = usePreviewTemplate();
  const test = useTestDelivery();
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<TemplateInput>(EMPTY);
  const [accountId, setAccountId] = useState("");
  const [contactId, setContactId] = useState("");
  const [testTo, setTestTo] = useState("");
  const body = useRef<HTMLTextAreaElement>(null);

  const open = (tpl: DeliveryTemplate | null) => {
    setEditing(tpl?.id ?? null);
    setForm(
      tpl === null
        ? EMPTY
        : {
            name: tpl.name,
            locale: tpl.locale as TemplateInput["locale"],
            subject: tpl.subject,
            body: tpl.body,
          },
    );
    save.reset();
    preview.reset();
    test.reset();
  };
  const insert = (name: string) => {
    const el = body.current;
    const tag = `{{${name}}}`;
    const at = el?.selectionStart ?? form.body.length;
    setForm({ ...form, body: form.body.slice(0, at) + tag + form.body.slice(at) });
  };
  const onSave = () =>
    save.mutate({ id: editing, input: form }, { onSuccess: (saved) => setEditing(saved.id) });

  return (
    <div className="stack">
      <Card
        title={t("integrations.tabs.templates")}
        actions={
          <button type="button" className="button" onClick={() => open(null)} data-testid="template-new">
            {t("integrations.templates.new")}
          </button>
        }
        testId="templates-card"
      >
        {templates.error ? (
          <ErrorBanner error={templates.error} onRetry={() => void templates.refetch()} />
        ) : null}
        {templates.data?.templates.length === 0 ? (
          <EmptyState>{t("integrations.common.none")}</EmptyState>
        ) : null}
        <div className="table-wrap">
          <table className="table" data-testid="templates-list">
            <tbody>
              {templates.data?.templates.map((tpl) => (
                <tr key={tpl.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => open(tpl)}>
                      {tpl.name}
                    </button>
                  </td>
                  <td>
                    <span className="badge badge-muted">{tpl.locale}</span>
                  </td>
                  <td className="muted">{tpl.subject}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-ghost"
                      onClick={() => remove.mutate(tpl.id)}
                      aria-label={`${t("integrations.common.delete")} ${tpl.name}`}
                    >
                      {t("integrations.common.delete")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title={editing === null ? t("integrations.templates.new") : form.name} testId="template-editor">
        <div className="stack">
          <div className="filter-bar">
            <label className="inline-field">
              <span className="filter-label">{t("integrations.common.name")}</span>
              <input
                className="input"
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                data-testid="template-name"
              />
            </label>
            <label className="inline-field">
              <span className="filter-label">{t("integrations.templates.locale")}</span>
              <select
                className="select select-compact"
                value={form.locale}
                onChange={(e) => setForm({ ...form, locale: e.target.value as TemplateInput["locale"] })}
                data-testid="template-locale"
              >
                <option value="en">English</option>
                <option value="zh-CN">简体中文</option>
              </select>
            </label>
          </div>
          <label className="stack">
            <span className="filter-label">{t("integrations.templates.subject")}</span>
            <input
              className="input"
              value={form.subject}
              onChange={(e) => setForm({ ...form, subject: e.target.value })}
              data-testid="template-subject"
            />
          </label>
          <label className="stack">
            <span className="filter-label">{t("integrations.templates.body")}</span>
            <textarea
              ref={body}
              className="input"
              rows={10}
              value={form.body}
              onChange={(e) => setForm({ ...form, body: e.target.value })}
              data-testid="template-body"
            />
          </label>
          <div>
            <span className="filter-label">{t("integrations.templates.variables")}</span>
            <p className="muted small">{t("integrations.templates.variablesHint")}</p>
            <div className="chips" data-testid="template-variables">
              {variables.data?.variables.map((v) => (
                <button
                  key={v.name}
                  type="button"
                  className="chip"
                  title={v.description}
                  onClick={() => insert(v.name)}
                >
                  {`{{${v.name}}}`}
                </button>
              ))}
            </div>
          </div>
          {save.error ? <ErrorBanner error={save.error} /> : null}
          {save.isSuccess ? <span className="badge">{t("integrations.templates.saved")}</span> : null}
          <div className="filter-bar">
            <button
              type="button"
              className="button button-primary"
              onClick={onSave}
              data-testid="template-save"
            >
              {t("integrations.common.save")}
            </button>
          </div>
          <div className="filter-bar">
            <label className="inline-field">
              <span className="filter-label">{t("integrations.templates.previewAccount")}</span>
              <input
                className="input"
                value={accountId}
                onChange={(e) => setAccountId(e.target.value)}
                data-testid="preview-account"
              />
            </label>
            <label className="inline-field">
              <span className="filter-label">{t("integrations.templates.previewContact")}</span>
              <input
                className="input"
                value={contactId}
                onChange={(e) => setContactId(e.target.value)}
                data-testid="preview-contact"
              />
            </label>
            <button
              type="button"
              className="button"
              disabled={accountId === ""}
              onClick={() =>
                preview.mutate({
                  locale: form.locale,
                  subject: form.subject,
                  body: form.body,
                  accountId,
                  ...(contactId === "" ? {} : { contactId }),
                })
              }
              data-testid="template-preview"
            >
              {t("integrations.templates.preview")}
            </button>
          </div>
          {preview.error ? <ErrorBanner error={preview.error} /> : null}
          {preview.data ? (
            <div className="card" data-testid="template-preview-result">
              <strong>{preview.data.subject}</strong>
              {/* The server escaped every value and rendered our own Markdown; nothing else is inserted. */}
              {/* biome-ignore lint/security/noDangerouslySetInnerHtml: HTML built by the server from an escaped template. */}
              <div dangerouslySetInnerHTML={{ __html: preview.data.html }} />
            </div>
          ) : null}
          {editing !== null ? (
            <div className="filter-bar">
              <label className="inline-field">
                <span className="filter-label">{t("integrations.templates.testTo")}</span>
                <input
                  className="input"
                  type="email"
                  value={testTo}
                  onChange={(e) => setTestTo(e.target.value)}
                  data-testid="template-test-to"
                />
              </label>
              <button
                type="button"
                className="button"
                disabled={testTo === "" || accountId === ""}
                onClick={() => test.mutate({ channel: "email", to: testTo, templateId: editing, accountId })}
                data-testid="template-test"
              >
                {t("integrations.common.sendTest")}
              </button>
              {test.error ? <ErrorBanner error={test.error} /> : <TestResult delivery={test.data} />}
            </div>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
