import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type { ApiResponse, Schema } from "../../api/schema";

/** One job as GET /api/jobs lists it. */
export type Job = Schema<"Job">;
export type JobStatus = Job["status"];
/** GET /api/jobs */
export type JobPage = ApiResponse<"/jobs", "get">;

export const JOB_STATUSES: readonly JobStatus[] = ["queued", "running", "done", "failed"];
export const PAGE_SIZE = 50;

/** GET /api/jobs: the job log filtered by status, a page at `offset`, with the counts per status. */
export function useJobs(status: JobStatus | undefined, offset: number) {
  return useQuery({
    queryKey: ["jobs", status ?? "all", offset],
    queryFn: () => apiFetch<JobPage>(withQuery("/api/jobs", { status, offset, limit: PAGE_SIZE })),
    // Jobs move on their own (workers run them): refresh while the page is open.
    refetchInterval: 5_000,
  });
}

/** POST /api/jobs/{id}/retry */
export function useRetryJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<Job>(`/api/jobs/${encodeURIComponent(id)}/retry`, { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["jobs"] }),
  });
}
