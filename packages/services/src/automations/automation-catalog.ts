import { type AutomationCatalog, BUILTIN_SIGNAL_TYPES, templateVariables } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { TEMPLATE_VARIABLES } from "../deliveries/template-variables";
import { SIGNAL_RULE_METRICS } from "../health/recompute-health";
import { listSignalRules } from "../signals/signal-service";

/** Metrics automation conditions may test: the signal rules' metrics plus the churn model's probability. */
export const AUTOMATION_METRICS: readonly string[] = [...SIGNAL_RULE_METRICS, "churnProbability"];

/**
 * What the workspace has that an automation may name: signal types (built-in and its rules), custom
 * fields, members and teams, playbooks, webhook endpoints, chat channels and templates with their variables.
 */
export async function loadAutomationCatalog(storage: Storage, ws: string): Promise<AutomationCatalog> {
  const [rules, accounts, members, teams, playbooks, endpoints, channels, templates] = await Promise.all([
    listSignalRules(storage, ws),
    storage.accounts.list(ws),
    storage.team.listMembers(ws),
    storage.team.listTeams(ws),
    storage.playbooks.list(ws),
    storage.deliveryTargets.listEndpoints(ws),
    storage.deliveryTargets.listChannels(ws),
    storage.deliveryTemplates.list(ws),
  ]);
  const customFields = new Set<string>();
  for (const a of accounts) for (const k of Object.keys(a.customFields)) customFields.add(k);
  return {
    metrics: AUTOMATION_METRICS,
    signalTypes: [...BUILTIN_SIGNAL_TYPES, ...rules.map((r) => `rule:${r.id}`)],
    customFields: [...customFields],
    members: members.filter((m) => m.active).map((m) => m.id),
    teams: teams.map((t) => t.id),
    playbooks: playbooks.filter((p) => p.archivedAt === null).map((p) => p.key),
    webhookEndpoints: endpoints.filter((e) => e.enabled).map((e) => e.id),
    chatChannels: channels.filter((c) => c.enabled).map((c) => c.id),
    templates: new Map(templates.map((t) => [t.id, templateVariables(`${t.subject}\n${t.body}`)])),
    templateVariables: Object.keys(TEMPLATE_VARIABLES),
  };
}
