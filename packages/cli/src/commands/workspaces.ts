import { createWorkspace, listWorkspaces } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Io, writeLine } from "../output";

/** `tenure workspaces create NAME`: prints the new workspace's id (use it with --workspace). */
export async function workspacesCreateCommand(
  storage: Storage,
  args: { name: string; json: boolean },
  io: Io,
): Promise<number> {
  const ws = await createWorkspace(storage, args.name);
  if (args.json) writeLine(io.out, JSON.stringify({ id: ws.id, name: ws.name }));
  else
    writeLine(io.out, `${ws.id}\t${ws.name}\n(use it: tenure --workspace ${ws.id} keys create --kind admin)`);
  return 0;
}

/** `tenure workspaces list`. */
export async function workspacesListCommand(
  storage: Storage,
  args: { json: boolean },
  io: Io,
): Promise<number> {
  const all = await listWorkspaces(storage);
  if (args.json) {
    writeLine(
      io.out,
      JSON.stringify({ workspaces: all.map((w) => ({ id: w.id, name: w.name, createdAt: w.createdAt })) }),
    );
  } else for (const w of all) writeLine(io.out, `${w.id}\t${w.name}`);
  return 0;
}
