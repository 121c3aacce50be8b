/** English strings of Settings → Jobs (merged into en.ts as `jobs`). */
export const jobsEn = {
  title: "Jobs",
  subtitle:
    "The job queue: deliveries, automation actions, waits and schedules. Failed jobs keep their last error and can be retried.",
  statuses: { queued: "Queued", running: "Running", done: "Done", failed: "Failed" },
  filter: "Status",
  all: "All",
  empty: "No jobs with this status.",
  created: "Created",
  kind: "Kind",
  status: "Status",
  attempts: "Attempts",
  runAt: "Due / lease until",
  lastError: "Last error",
  retry: "Retry",
  retrying: "Retrying…",
  retried: "Queued again.",
  page: "{{from}}–{{to}} of {{total}}",
  previous: "Previous",
  next: "Next",
};
