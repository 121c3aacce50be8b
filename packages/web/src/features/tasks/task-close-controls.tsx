import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../auth/permissions";
import { ErrorBanner } from "../../components/states";
import { useCloseTask } from "./api";

/**
 * Done or skip with an outcome note: one control for the Tasks page (a compact row, `layout="row"`) and
 * the account page's tasks card (`layout="card"`, with more actions such as reassign in `children`).
 * `testId` prefixes the elements' test ids ("task" gives task-outcome and task-complete).
 */
export function TaskCloseControls({
  taskId,
  layout,
  testId,
  children,
}: {
  taskId: string;
  layout: "row" | "card";
  testId: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const close = useCloseTask();
  const [outcome, setOutcome] = useState("");
  // A role that changes nothing (viewer) gets no done/skip controls; the server would refuse them.
  if (!useCan()("book.edit")) return null;
  const input = (
    <input
      className="input"
      aria-label={t("tasks.outcome")}
      placeholder={t("tasks.outcome")}
      value={outcome}
      onChange={(e) => setOutcome(e.target.value)}
      data-testid={`${testId}-outcome`}
    />
  );
  const buttons = (
    <>
      <button
        type="button"
        className={layout === "row" ? "button button-primary button-small" : "button button-small"}
        disabled={close.isPending}
        onClick={() => close.mutate({ id: taskId, verb: "complete", outcome })}
        data-testid={`${testId}-complete`}
      >
        {t("tasks.complete")}
      </button>
      <button
        type="button"
        className={layout === "row" ? "button button-small" : "button button-small button-ghost"}
        disabled={close.isPending}
        onClick={() => close.mutate({ id: taskId, verb: "skip", outcome })}
        data-testid={`${testId}-skip`}
      >
        {t("tasks.skip")}
      </button>
      {children}
    </>
  );
  const error = close.error ? <ErrorBanner error={close.error} /> : null;
  if (layout === "row")
    return (
      <>
        <div className="task-close">
          {input}
          {buttons}
        </div>
        {error}
      </>
    );
  return (
    <>
      {input}
      <div className="account-task-actions">{buttons}</div>
      {error}
    </>
  );
}
