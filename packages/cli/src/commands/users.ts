import type { Readable } from "node:stream";
import { ROLES, type Role, TenureError } from "@tenure/core";
import { createUserAdmin } from "@tenure/server";
import type { TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { cliOrigin } from "../audit-cli";
import { type Io, writeLine } from "../output";

/** The password piped in: everything up to the first line break (so `echo pw |` works). */
async function readPassword(input: Readable): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}

/**
 * `tenure users create --email E --role R --password-stdin [--name N]`: a user who signs in with that
 * password, in the workspace (created if missing). The first admin of a new install is made this way
 * (or on the set-up page). The password comes on stdin so that it is in no shell history or process list.
 */
export async function usersCreateCommand(
  storage: Storage,
  config: Pick<TenureConfig, "authSecret" | "publicUrl">,
  args: {
    workspaceId: string;
    email: string;
    role: string;
    name?: string;
    passwordStdin: boolean;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  if (!ROLES.includes(args.role as Role))
    throw new TenureError("validation", `--role must be one of ${ROLES.join(", ")}, got "${args.role}"`);
  if (!args.passwordStdin)
    throw new TenureError(
      "validation",
      "--password-stdin is required: pipe the password in (echo ... | tenure users create ...)",
    );
  const password = await readPassword(io.in ?? process.stdin);
  if (password === "") throw new TenureError("validation", "password: nothing was read from stdin");
  const users = createUserAdmin(storage, { secret: config.authSecret, publicUrl: config.publicUrl });
  // The user (written by better-auth through storage.kysely) and its audit row commit together.
  const user = await storage.audited(cliOrigin(args.workspaceId), async (_tx, record) => {
    await storage.workspaces.ensure(args.workspaceId, args.workspaceId);
    const created = await users.create(args.workspaceId, {
      email: args.email,
      name: args.name ?? args.email.split("@")[0] ?? args.email,
      role: args.role as Role,
      password,
    });
    await record({
      action: "user.create",
      entityType: "user",
      entityId: created.id,
      before: null,
      after: created,
    });
    return created;
  });
  const out = {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    workspaceId: args.workspaceId,
  };
  if (args.json) writeLine(io.out, JSON.stringify(out));
  else
    writeLine(io.out, `Created ${user.email} (${user.role} of ${args.workspaceId}); sign in at the web app`);
  return 0;
}
