import { useTranslation } from "react-i18next";
import type { AccountOverview } from "../../api/account-types";
import { Card } from "../../components/card";
import { EmptyState } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";

/** The account's people with their roles, when someone last spoke with them and who has left. */
export function ContactsCard({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <Card title={t("account.contacts.title")} testId="account-contacts">
      {data.contacts.length === 0 ? (
        <EmptyState>{t("account.contacts.empty")}</EmptyState>
      ) : (
        <div className="scroll-box">
          <table className="table wrap-table fixed-table" data-testid="contacts-table">
            <colgroup>
              <col style={{ width: "40%" }} />
              <col style={{ width: "22%" }} />
              {/* Wide enough for a whole date in any language (2026年12月7日, Dec 7, 2026). */}
              <col style={{ width: "38%" }} />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">{t("account.contacts.name")}</th>
                <th scope="col">{t("account.contacts.role")}</th>
                <th scope="col">{t("account.contacts.lastTouch")}</th>
              </tr>
            </thead>
            <tbody>
              {data.contacts.map((c) => (
                <tr
                  key={c.id}
                  data-contact-id={c.id}
                  data-role={c.role ?? ""}
                  data-left-at={c.leftAt ?? ""}
                  className={c.leftAt ? "contact-left" : undefined}
                >
                  <td>
                    <div translate="no">
                      {c.name}
                      {c.leftAt ? (
                        <span className="chip chip-warn" data-testid="contact-left">
                          {t("account.contacts.left", { date: fmt.date(c.leftAt) })}
                        </span>
                      ) : null}
                    </div>
                    <div className="muted small" title={c.email ?? undefined} translate="no">
                      {c.title ?? c.email ?? ""}
                    </div>
                  </td>
                  <td>
                    {c.role ? (
                      <span className="chip">{t(`roles.${c.role}`, { defaultValue: c.role })}</span>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="nowrap" data-value={c.lastTouchAt ?? ""}>
                    {c.lastTouchAt ? fmt.date(c.lastTouchAt) : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
