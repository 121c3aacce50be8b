import type { Storage } from "@tenure/storage";
import { saveCampaignResult } from "../renewals/save-campaigns";

/** CS ROI of one CSM or team: ARR saved and expanded against the save-campaign cost spent on its book. */
export interface RoiLine {
  id: string | null;
  name: string;
  /** Accounts owned now (the book the figures are attributed to). */
  accounts: number;
  /** At-risk ARR kept by save campaigns (each account's share, as `saveCampaignResult` counts it). */
  arrSaved: number;
  /** Σ (ARR after − ARR before) of renewal outcomes recorded as expanded. */
  arrExpanded: number;
  /** Save-campaign cost attributed to the book: each campaign's cost split evenly over its accounts. */
  cost: number;
  /** (arrSaved + arrExpanded) / cost; null when nothing was spent. */
  roi: number | null;
}

/** CS ROI per team and per CSM (issue 15 §10); accounts without an owner fall under "unassigned". */
export interface CsRoi {
  teams: RoiLine[];
  members: RoiLine[];
}

const empty = (id: string | null, name: string): RoiLine => ({
  id,
  name,
  accounts: 0,
  arrSaved: 0,
  arrExpanded: 0,
  cost: 0,
  roi: null,
});

/**
 * ARR saved (save campaigns) and expanded (renewal outcomes) against save-campaign cost, per CSM and
 * team, attributed to the account's current owner. Time spent is not in the data (tasks carry no
 * duration), so cost here is the money entered on save campaigns only.
 */
export async function csRoi(storage: Storage, ws: string): Promise<CsRoi> {
  const [teams, members, ownership, campaigns, outcomes] = await Promise.all([
    storage.team.listTeams(ws),
    storage.team.listMembers(ws),
    storage.team.ownership(ws),
    storage.renewals.listCampaigns(ws),
    storage.renewals.listOutcomes(ws),
  ]);
  const owner = new Map(ownership.map((o) => [o.accountId, o]));
  const byMember = new Map<string | null, RoiLine>();
  const byTeam = new Map<string | null, RoiLine>();
  const memberName = new Map(members.map((m) => [m.id, m.name]));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const lines = (accountId: string) => {
    const o = owner.get(accountId);
    const memberId = o?.ownerId ?? null;
    const teamId = o?.teamId ?? members.find((m) => m.id === memberId)?.teamId ?? null;
    let m = byMember.get(memberId);
    if (!m) {
      m = empty(
        memberId,
        memberId === null ? "unassigned" : (memberName.get(memberId) ?? o?.ownerName ?? memberId),
      );
      byMember.set(memberId, m);
    }
    let t = byTeam.get(teamId);
    if (!t) {
      t = empty(teamId, teamId === null ? "unassigned" : (teamName.get(teamId) ?? teamId));
      byTeam.set(teamId, t);
    }
    return [m, t] as const;
  };
  for (const o of ownership) for (const line of lines(o.accountId)) line.accounts++;
  for (const c of campaigns) {
    const share = c.accounts.length === 0 ? 0 : c.cost / c.accounts.length;
    for (const a of c.accounts) {
      // The campaign's own rule, one account at a time, so the per-CSM sums add up to its result.
      const r = saveCampaignResult({ ...c, cost: share, accounts: [a] }, outcomes);
      for (const line of lines(a.accountId)) {
        line.arrSaved += r.arrSaved;
        line.cost += share;
      }
    }
  }
  for (const o of outcomes) {
    if (o.outcome !== "expanded") continue;
    for (const line of lines(o.accountId)) line.arrExpanded += Math.max(0, o.arrAfter - o.arrBefore);
  }
  const finish = (m: Map<string | null, RoiLine>) =>
    [...m.values()]
      .map((l) => ({ ...l, roi: l.cost > 0 ? (l.arrSaved + l.arrExpanded) / l.cost : null }))
      .sort(
        (a, b) => b.arrSaved + b.arrExpanded - (a.arrSaved + a.arrExpanded) || a.name.localeCompare(b.name),
      );
  return { teams: finish(byTeam), members: finish(byMember) };
}
