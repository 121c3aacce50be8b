import { randomUUID } from "node:crypto";
import { TenureError } from "@tenure/core";
import { DEFAULT_WORKSPACE_ID, type MembershipRole, type Storage, type WorkspaceUser } from "@tenure/storage";
import { checkEmail, checkPassword, Identity } from "./index";

/** How long an invitation link works, and a password-reset link. */
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 24 * 3600_000;

/** A link made for someone: emailed when SMTP is configured, else returned once for the admin to pass on. */
export interface IssuedLink {
  id: string;
  email: string;
  expiresAt: string;
  emailed: boolean;
  /** The link itself, only when it was not emailed (shown once; only its hash is stored). */
  url: string | null;
}

/**
 * What admins do with users, and what invitees and first-run operators do: the service behind the
 * user routes, the set-up page and `tenure users create`.
 */
export class UserAdmin {
  constructor(
    private readonly storage: Storage,
    private readonly identity: Identity,
  ) {}

  private async checkMember(workspaceId: string, memberId: string | null | undefined): Promise<void> {
    if (memberId === null || memberId === undefined) return;
    if ((await this.storage.team.getMember(workspaceId, memberId)) === null)
      throw new TenureError("validation", `memberId: no team member ${memberId} in this workspace`);
  }

  /** The workspace's users with their role, member link and last sign-in. */
  list(workspaceId: string): Promise<WorkspaceUser[]> {
    return this.storage.memberships.listUsers(workspaceId);
  }

  /** Creates a user with a password in the workspace (or adds an existing user to it). */
  async create(
    workspaceId: string,
    input: { email: string; name: string; role: MembershipRole; memberId?: string | null; password: string },
  ): Promise<WorkspaceUser> {
    await this.checkMember(workspaceId, input.memberId);
    const existing = await this.storage.users.findByEmail(input.email);
    if (existing !== null && (await this.storage.memberships.get(workspaceId, existing.id)) !== null)
      throw new TenureError("conflict", `email: ${existing.email} is already a user of this workspace`);
    const user = existing ?? (await this.identity.createUser(input));
    await this.storage.memberships.put(workspaceId, user.id, {
      role: input.role,
      memberId: input.memberId ?? null,
    });
    return this.get(workspaceId, user.id);
  }

  async get(workspaceId: string, userId: string): Promise<WorkspaceUser> {
    const found = (await this.storage.memberships.listUsers(workspaceId)).find((u) => u.id === userId);
    if (found === undefined) throw new TenureError("not_found", `No user ${userId} in this workspace`);
    return found;
  }

  /** Changes a user's role and/or member link; an admin cannot demote themselves (no workspace without admin). */
  async update(
    workspaceId: string,
    userId: string,
    input: { role?: MembershipRole; memberId?: string | null },
    actingUserId: string | null,
  ): Promise<WorkspaceUser> {
    const current = await this.get(workspaceId, userId);
    if (
      input.role !== undefined &&
      input.role !== "admin" &&
      current.role === "admin" &&
      userId === actingUserId
    )
      throw new TenureError("validation", "role: you cannot remove your own admin role");
    await this.checkMember(workspaceId, input.memberId);
    await this.storage.memberships.put(workspaceId, userId, {
      role: input.role ?? current.role,
      ...(input.memberId === undefined ? {} : { memberId: input.memberId }),
    });
    return this.get(workspaceId, userId);
  }

  /** Deactivates a user (no sign-in, every session ended) or reactivates them. */
  async setActive(workspaceId: string, userId: string, active: boolean, actingUserId: string | null) {
    await this.get(workspaceId, userId);
    if (!active && userId === actingUserId)
      throw new TenureError("validation", "id: you cannot deactivate yourself");
    await this.storage.users.setBanned(userId, !active);
    if (!active) await this.identity.revokeSessions(userId);
    return this.get(workspaceId, userId);
  }

  /** Invites someone by email to the workspace with a role: a one-time link valid 7 days. */
  async invite(
    req: Request,
    workspaceId: string,
    input: { email: string; role: MembershipRole; memberId?: string | null },
    createdBy: string,
  ): Promise<IssuedLink> {
    const email = checkEmail(input.email);
    await this.checkMember(workspaceId, input.memberId);
    const existing = await this.storage.users.findByEmail(email);
    if (existing !== null && (await this.storage.memberships.get(workspaceId, existing.id)) !== null)
      throw new TenureError("conflict", `email: ${email} is already a user of this workspace`);
    const { link, token } = await this.storage.authLinks.create({
      kind: "invite",
      workspaceId,
      email,
      role: input.role,
      memberId: input.memberId ?? null,
      createdBy,
      ttlMs: INVITE_TTL_MS,
    });
    const url = this.identity.linkUrl(req, "invite", token);
    const workspace = await this.storage.workspaces.get(workspaceId);
    const emailed = await this.identity.sendLink(
      email,
      `You are invited to ${workspace?.name ?? "Tenure"} on Tenure`,
      `You are invited to join ${workspace?.name ?? "Tenure"} on Tenure as ${input.role}.\nSet your name and password here (the link works once, for 7 days):\n${url}`,
    );
    return { id: link.id, email, expiresAt: link.expiresAt, emailed, url: emailed ? null : url };
  }

  /** What an invitation link is for (the acceptance page shows it), or a 404. */
  async lookupInvite(token: string) {
    const link = await this.storage.authLinks.find(token, "invite");
    if (link === null)
      throw new TenureError("not_found", "token: this invitation is unknown, used or expired");
    const workspace = await this.storage.workspaces.get(link.workspaceId);
    return {
      email: link.email,
      role: link.role ?? "viewer",
      workspaceId: link.workspaceId,
      workspaceName: workspace?.name ?? link.workspaceId,
    };
  }

  /** The invitee sets their name and password: the user and their membership are created, the link is spent. */
  async acceptInvite(input: {
    token: string;
    name: string;
    password: string;
  }): Promise<{ email: string; userId: string; workspaceId: string; linkId: string }> {
    const link = await this.storage.authLinks.find(input.token, "invite");
    if (link === null)
      throw new TenureError("not_found", "token: this invitation is unknown, used or expired");
    const existing = await this.storage.users.findByEmail(link.email);
    if (existing === null) {
      // Created before the link is spent, so a refused password can be corrected and sent again.
      await this.identity.createUser({ email: link.email, name: input.name, password: input.password });
    }
    if (!(await this.storage.authLinks.consume(link.id)))
      throw new TenureError("not_found", "token: this invitation is unknown, used or expired");
    const user = await this.storage.users.findByEmail(link.email);
    if (user === null) throw new Error(`invited user ${link.email} vanished`);
    if (existing !== null) await this.identity.setPassword(user.id, input.password);
    await this.storage.memberships.put(link.workspaceId, user.id, {
      role: link.role ?? "viewer",
      memberId: link.memberId,
    });
    return { email: user.email, userId: user.id, workspaceId: link.workspaceId, linkId: link.id };
  }

  /** Revokes a pending invitation. */
  async revokeInvite(workspaceId: string, id: string): Promise<void> {
    if (!(await this.storage.authLinks.revoke(workspaceId, id)))
      throw new TenureError("not_found", `No pending invitation ${id} in this workspace`);
  }

  /** Pending invitations of the workspace. */
  async pendingInvites(workspaceId: string) {
    return (await this.storage.authLinks.listPendingInvites(workspaceId)).map((l) => ({
      id: l.id,
      email: l.email,
      role: l.role ?? "viewer",
      memberId: l.memberId,
      createdAt: l.createdAt,
      expiresAt: l.expiresAt,
    }));
  }

  /**
   * An admin resets a user's password: to the one given (the user is signed out everywhere), or by a
   * one-time link valid a day (emailed when SMTP is configured, else returned once).
   */
  async resetPassword(
    req: Request,
    workspaceId: string,
    userId: string,
    password: string | undefined,
    createdBy: string,
  ): Promise<IssuedLink | null> {
    const user = await this.get(workspaceId, userId);
    if (password !== undefined) {
      await this.identity.setPassword(userId, password);
      return null;
    }
    const { link, token } = await this.storage.authLinks.create({
      kind: "reset",
      workspaceId,
      email: user.email,
      userId,
      createdBy,
      ttlMs: RESET_TTL_MS,
    });
    const url = this.identity.linkUrl(req, "reset", token);
    const emailed = await this.identity.sendLink(
      user.email,
      "Reset your Tenure password",
      `An admin asked for your Tenure password to be reset.\nChoose a new one here (the link works once, for 24 hours):\n${url}`,
    );
    return { id: link.id, email: user.email, expiresAt: link.expiresAt, emailed, url: emailed ? null : url };
  }

  /**
   * Forgot password: emails a one-time reset link (valid a day) to the user with that email, when
   * there is one, they are active and SMTP is configured. The caller answers the same whatever
   * happens, and without waiting for `done` (the mail), so neither the answer nor its time tells
   * whether the email belongs to a user.
   */
  requestReset(req: Request, email: string): { byEmail: boolean; done: Promise<void> } {
    const normal = checkEmail(email);
    if (this.identity.smtp === null) return { byEmail: false, done: Promise.resolve() };
    const done = (async () => {
      const user = await this.storage.users.findByEmail(normal);
      if (user === null || user.banned) return;
      const [first] = await this.storage.memberships.listForUser(user.id);
      if (first === undefined) return;
      const { token } = await this.storage.authLinks.create({
        kind: "reset",
        workspaceId: first.workspaceId,
        email: user.email,
        userId: user.id,
        createdBy: null,
        ttlMs: RESET_TTL_MS,
      });
      await this.identity.sendLink(
        user.email,
        "Reset your Tenure password",
        `Someone (we hope you) asked to reset your Tenure password.\nChoose a new one here (the link works once, for 24 hours):\n${this.identity.linkUrl(req, "reset", token)}\nIf it was not you, ignore this email: your password stays as it is.`,
      );
    })();
    return { byEmail: true, done };
  }

  /** The user sets a new password through a reset link; every session of theirs ends. */
  async acceptReset(input: {
    token: string;
    password: string;
  }): Promise<{ email: string; userId: string; workspaceId: string }> {
    const link = await this.storage.authLinks.find(input.token, "reset");
    if (link === null || link.userId === null)
      throw new TenureError("not_found", "token: this reset link is unknown, used or expired");
    // Checked before the link is spent, so a refused password can be corrected.
    checkPassword(input.password);
    if (!(await this.storage.authLinks.consume(link.id)))
      throw new TenureError("not_found", "token: this reset link is unknown, used or expired");
    await this.identity.setPassword(link.userId, input.password);
    return { email: link.email, userId: link.userId, workspaceId: link.workspaceId };
  }

  /** Whether the instance still needs its first user (the set-up page). */
  async setupNeeded(): Promise<boolean> {
    return (await this.storage.users.count()) === 0;
  }

  /**
   * Creates the first admin, only while no user exists. Two set-ups racing (two tabs, two processes):
   * the claim in instance_settings lets exactly one through.
   */
  async setup(input: {
    email: string;
    name: string;
    password: string;
    workspaceId?: string;
    workspaceName?: string;
  }) {
    if (!(await this.setupNeeded())) throw new TenureError("conflict", "Tenure is already set up: sign in");
    checkEmail(input.email);
    if (input.name.trim() === "") throw new TenureError("validation", "name: required");
    checkPassword(input.password);
    const claim = randomUUID();
    if ((await this.storage.instanceSettings.ensure("setup_claim", claim)) !== claim)
      throw new TenureError("conflict", "Tenure is already set up: sign in");
    const workspaceId = input.workspaceId ?? DEFAULT_WORKSPACE_ID;
    await this.storage.workspaces.ensure(workspaceId, input.workspaceName ?? "Tenure");
    return this.create(workspaceId, { ...input, role: "admin" });
  }
}

/** The user service outside the server (the CLI): its own identity over `storage`. */
export function createUserAdmin(
  storage: Storage,
  opts: { secret?: string | undefined; publicUrl?: string | undefined } = {},
): UserAdmin {
  return new UserAdmin(storage, new Identity({ storage, secret: opts.secret, publicUrl: opts.publicUrl }));
}
