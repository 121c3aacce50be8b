import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { type BookScope, useBook } from "./permissions";

const SCOPES: readonly BookScope[] = ["mine", "team", "all"];

/** A `book` search param as sent, or undefined when absent or malformed (the role's default applies). */
export function parseBook(raw: unknown): BookScope | undefined {
  return SCOPES.find((s) => s === raw);
}

/** The search of a page whose only URL state is its book (worklist, tasks, renewals). */
export function parseBookSearch(raw: Record<string, unknown>): { book?: BookScope } {
  const book = parseBook(raw.book);
  return book === undefined ? {} : { book };
}

/** What a list asks the server for under a book scope: an owner's name, teams, or nothing. */
export interface BookFilter {
  owner?: string;
  team?: string;
}

/**
 * The book a list shows and what it filters by. `scope` is the URL's `book`; when it is absent the
 * role's default is written into the URL (replacing the entry), so the address always says which book
 * is shown and a link opens the same view. `set` changes it.
 */
export function useBookScope(
  scope: BookScope | undefined,
  set: (scope: BookScope, replace?: boolean) => void,
  /** Whether the list filters by team (the accounts list and tasks do; the others by owner only). */
  byTeam = true,
): { scope: BookScope; filter: BookFilter; choices: BookScope[]; locked: boolean } {
  const book = useBook();
  const fallback = book.scope === "team" && !byTeam ? "all" : book.scope;
  const effective = scope ?? fallback;
  useEffect(() => {
    if (scope === undefined && fallback !== "all") set(fallback, true);
  }, [scope, fallback, set]);
  const choices: BookScope[] = [];
  if (book.ownerName !== null) choices.push("mine");
  if (byTeam && book.teamIds.length > 0) choices.push("team");
  if (book.canWiden) choices.push("all");
  const filter: BookFilter =
    effective === "mine" && book.ownerName !== null
      ? { owner: book.ownerName }
      : effective === "team" && book.teamIds.length > 0
        ? { team: book.teamIds.join(",") }
        : {};
  return { scope: effective, filter, choices, locked: !book.canWiden };
}

/** "My book / My teams / All accounts" chips; shown only when there is a choice or a limit to explain. */
export function BookChips({
  scope,
  choices,
  locked,
  onChange,
}: {
  scope: BookScope;
  choices: readonly BookScope[];
  locked: boolean;
  onChange: (scope: BookScope) => void;
}) {
  const { t } = useTranslation();
  if (choices.length < 2 && !locked) return null;
  return (
    <fieldset className="chips book-chips" data-testid="book-chips">
      <legend className="visually-hidden">{t("access.book.label")}</legend>
      {choices.map((s) => (
        <button
          key={s}
          type="button"
          className={scope === s ? "chip-toggle chip-toggle-on" : "chip-toggle"}
          aria-pressed={scope === s}
          onClick={() => onChange(s)}
          data-testid={`book-${s}`}
        >
          {t(`access.book.${s}`)}
        </button>
      ))}
      {locked ? (
        <span className="muted small" data-testid="book-locked">
          {t("access.book.onlyMine")}
        </span>
      ) : null}
    </fieldset>
  );
}
