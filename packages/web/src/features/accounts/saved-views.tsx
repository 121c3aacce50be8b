import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SavedView } from "../../api/account-types";
import { useCreateView, useDeleteView, useSavedViews } from "./queries";
import { type AccountsSearch, filtersOf, parseAccountsSearch } from "./search";

interface SavedViewsProps {
  search: AccountsSearch;
  /** Replaces the whole list state (a view sets every filter and the sort). */
  onApply: (search: AccountsSearch) => void;
}

/** Turns a stored view back into list URL state. */
function searchOfView(view: SavedView): AccountsSearch {
  return parseAccountsSearch({
    ...view.filters,
    sort: view.sort ?? undefined,
    order: view.order ?? undefined,
    view: view.id,
  });
}

/** Picker for saved views, plus saving the current filters under a name and deleting a view. */
export function SavedViews({ search, onApply }: SavedViewsProps) {
  const { t } = useTranslation();
  const views = useSavedViews();
  const create = useCreateView();
  const remove = useDeleteView();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const list = views.data ?? [];
  const current = list.find((v) => v.id === search.view);

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    create.mutate(
      {
        name: trimmed,
        filters: filtersOf(search),
        ...(search.sort ? { sort: search.sort } : {}),
        ...(search.order ? { order: search.order } : {}),
      },
      {
        onSuccess: (view) => {
          setNaming(false);
          setName("");
          onApply({ ...search, view: view.id });
        },
      },
    );
  };

  return (
    <div className="saved-views" data-testid="saved-views">
      <label className="inline-field">
        <span className="filter-label">{t("accounts.views.label")}</span>
        <select
          className="select select-compact"
          value={current?.id ?? ""}
          onChange={(e) => {
            const view = list.find((v) => v.id === e.target.value);
            onApply(view ? searchOfView(view) : {});
          }}
          data-testid="saved-view-select"
          disabled={views.isPending}
        >
          <option value="">{t("accounts.views.none")}</option>
          {list.map((view) => (
            <option key={view.id} value={view.id}>
              {view.name}
            </option>
          ))}
        </select>
      </label>
      {naming ? (
        <form className="inline-form" onSubmit={onSave}>
          <input
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t("accounts.views.namePlaceholder")}
            aria-label={t("accounts.views.name")}
            data-testid="saved-view-name"
          />
          <button type="submit" className="button button-primary button-small" disabled={create.isPending}>
            {t("accounts.views.save")}
          </button>
          <button type="button" className="button button-ghost button-small" onClick={() => setNaming(false)}>
            {t("accounts.views.cancel")}
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="button button-small"
          onClick={() => setNaming(true)}
          data-testid="saved-view-new"
        >
          {t("accounts.views.saveCurrent")}
        </button>
      )}
      {current ? (
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() =>
            remove.mutate(current.id, { onSuccess: () => onApply({ ...search, view: undefined }) })
          }
          data-testid="saved-view-delete"
        >
          {t("accounts.views.delete")}
        </button>
      ) : null}
      {create.isError ? <span className="form-error">{create.error.message}</span> : null}
    </div>
  );
}
