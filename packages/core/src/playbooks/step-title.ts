import type { TextLocale } from "../text/message";
import type { LocalizedText, PlaybookDefinition } from "./types";

/**
 * A task's title in the reader's language. A task made by a playbook step stores the step's title as
 * written in one language; when it is still that title (in any of the step's languages, unchanged), the
 * step of the version the run started with gives it in `locale`. Any other title (written or edited by
 * the team) is kept as written.
 */
export function taskTitleIn(
  stored: string,
  step: { definition: PlaybookDefinition; index: number } | null,
  locale: TextLocale,
): string {
  if (step === null) return stored;
  const title: LocalizedText | undefined = step.definition.steps[step.index]?.title;
  if (title === undefined || !Object.values(title).includes(stored)) return stored;
  return title[locale] ?? stored;
}
