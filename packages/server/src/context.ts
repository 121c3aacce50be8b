import type { IsoDate } from "@tenure/core";
import { RevenueService, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Logger } from "pino";

/** What the routes need; built once per process. */
export interface AppDeps {
  storage: Storage;
  config: Pick<TenureConfig, "reportingCurrency" | "grossMargin">;
  logger?: Logger;
  /** In demo mode the web app signs in with this key through POST /api/auth/demo. */
  demoKey?: string;
  /** Folder of the built web app (packages/web/dist); omitted = API only. */
  webRoot?: string;
  today?: () => IsoDate;
}

/** One RevenueService per workspace, so caches never mix workspaces. */
export class WorkspaceServices {
  private readonly revenue = new Map<string, RevenueService>();

  constructor(private readonly deps: AppDeps) {}

  revenueFor(workspaceId: string): RevenueService {
    let service = this.revenue.get(workspaceId);
    if (!service) {
      service = new RevenueService(this.deps.storage, {
        workspaceId,
        reportingCurrency: this.deps.config.reportingCurrency,
        grossMargin: this.deps.config.grossMargin,
        today: this.deps.today,
      });
      this.revenue.set(workspaceId, service);
    }
    return service;
  }
}
