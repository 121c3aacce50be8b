import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData } from "../import/import-data";
import type { ImportKind } from "../import/types";

const TEAM = `member_id,name,email,team,team_kind,role,capacity
ann,Ann Lee,Ann@Example.com,Enterprise,high touch,Senior CSM,40
bo,Bo Chen,bo@example.com,Enterprise,,CSM,45
,Cy Wu,cy@example.com,Tech touch pool,tech_touch,Pool CSM,
`;

describe.each(testDialects())("team import on %s", (dialect) => {
  let t: TestStorage;
  let n = 0;
  const run = (ws: string, kind: ImportKind, csv: string) =>
    importData(t.storage, { workspaceId: ws, kind, fileName: `${kind}.csv`, content: Buffer.from(csv) });
  const ws = () => `team-${++n}`;

  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should create teams and members from a team file and update them when it is imported again", async () => {
    const w = ws();
    const first = await run(w, "team", TEAM);
    expect(first).toMatchObject({ written: true, inserted: 3, errors: [] });
    const teams = await t.storage.team.listTeams(w);
    expect(teams.map((x) => [x.id, x.name, x.kind])).toEqual([
      ["enterprise", "Enterprise", "high_touch"],
      ["tech-touch-pool", "Tech touch pool", "tech_touch"],
    ]);
    const members = await t.storage.team.listMembers(w);
    expect(members.map((m) => [m.id, m.teamId, m.capacity])).toEqual([
      ["ann", "enterprise", 40],
      ["bo", "enterprise", 45],
      ["cy@example.com", "tech-touch-pool", null],
    ]);
    const again = await run(w, "team", TEAM.replace("Bo Chen", "Bo Chen-Li"));
    expect(again).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
  });

  it("should write nothing and name the row and column when an email repeats or a capacity is not a count", async () => {
    const w = ws();
    const bad = await run(
      w,
      "team",
      `name,e-mail,team,capacity
Ann,ann@example.com,Ent,40
Ann Two,ANN@example.com,Ent,10
Bo,bo@example.com,Ent,4.5
Cy,not-an-email,Ent,1
`,
    );
    expect(bad.written).toBe(false);
    expect(bad.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "e-mail"],
      [4, "capacity"],
      [5, "e-mail"],
    ]);
    const dup = await run(
      w,
      "team",
      "member_id,name,email\na1,Ann,ann@example.com\na2,Ann Two,ANN@example.com\n",
    );
    expect(dup.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [3, "email", "the same email as row 2 (emails are unique, any case)"],
    ]);
    expect(await t.storage.team.listMembers(w)).toEqual([]);
  });

  it("should give imported accounts to the members their owner names and refuse an owner no member matches", async () => {
    const w = ws();
    await run(w, "team", TEAM);
    const ok = await run(
      w,
      "accounts",
      "account_id,name,owner\nacme,Acme,ann@example.com\nglobex,Globex,bo chen\n",
    );
    expect(ok).toMatchObject({ written: true, errors: [] });
    expect(await t.storage.team.ownership(w, ["acme", "globex"])).toEqual([
      { accountId: "acme", ownerId: "ann", ownerName: "Ann Lee", teamId: "enterprise" },
      { accountId: "globex", ownerId: "bo", ownerName: "Bo Chen", teamId: "enterprise" },
    ]);
    // The account page's one read of an account with its owner agrees with ownership.
    expect(await t.storage.accounts.getOwned(w, "globex")).toMatchObject({
      account: { id: "globex", owner: "Bo Chen" },
      book: { ownerId: "bo", poolTeamId: "enterprise" },
    });
    for (const id of ["globex", "acme"]) {
      expect((await t.storage.accounts.getOwned(w, id))?.book).toEqual(
        await t.storage.team.accountBook(w, id),
      );
    }
    expect(await t.storage.accounts.getOwned(w, "nobody")).toBeNull();
    const bad = await run(w, "accounts", "account_id,owner\nacme,Dee\n");
    expect(bad.written).toBe(false);
    expect(bad.errors[0]).toMatchObject({ row: 2, column: "owner", value: "Dee" });
    expect((await t.storage.accounts.get(w, "acme"))?.owner).toBe("Ann Lee");
    // Re-importing the same file changes nothing: the owner is stored as the member's name.
    const same = await run(
      w,
      "accounts",
      "account_id,name,owner\nacme,Acme,ann@example.com\nglobex,Globex,bo chen\n",
    );
    expect(same).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it("should keep free-text owners in a workspace without members", async () => {
    const w = ws();
    const res = await run(w, "accounts", "account_id,owner\nacme,Someone\n");
    expect(res.written).toBe(true);
    expect(await t.storage.team.ownership(w, ["acme"])).toEqual([
      { accountId: "acme", ownerId: null, ownerName: "Someone", teamId: null },
    ]);
  });
});
