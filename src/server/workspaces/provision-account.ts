/**
 * A new account's first workspace. Signing up through an invitation link puts the account in the
 * inviting workspace with the invited role; otherwise it gets a workspace of its own, named after
 * it, which it owns. The very first account of a database from before sign-in existed adopts that
 * database's workspace (and its playlists); the first account of a new database gets the demo
 * playlists, so a newcomer sees enrichment at once.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { invitations, members, workspaces } from '../db/schema';
import type { Tx } from '../events/event-log';
import { log } from '../log';
import { seedDemoPlaylists } from '../playlists/seed-demo-playlists';
import type { Runtime } from '../runtime';
import { newWorkspaceSlug } from './workspace-slug';

export interface NewAccount {
  id: string;
  name: string;
  email: string;
}

export async function provisionAccount(runtime: Runtime, user: NewAccount, invitationId: string | null): Promise<void> {
  const joined = invitationId ? await runtime.log.transaction((tx) => joinByInvitation(tx, user, invitationId)) : false;
  if (joined) return;
  const workspaceId = await runtime.log.transaction(async (tx) => (await adoptLegacyWorkspace(tx, user)) ?? createOwnWorkspace(tx, user));
  void seedDemoPlaylists(runtime, workspaceId, runtime.config.DEMO_SEED_PLAYLISTS).then(
    (added) => added > 0 && log.info({ added, workspaceId }, 'added demo playlists to the first workspace: watch them enrich'),
  );
}

/** True when a pending invitation for this email exists and the account joined through it. */
async function joinByInvitation(tx: Tx, user: NewAccount, invitationId: string): Promise<boolean> {
  const [invitation] = await tx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.status, 'pending'), gt(invitations.expiresAt, new Date())))
    .for('update');
  if (!invitation || invitation.email.toLowerCase() !== user.email.toLowerCase()) return false;
  const role = invitation.role ?? 'member';
  await tx.db.insert(members).values({ id: crypto.randomUUID(), organizationId: invitation.organizationId, userId: user.id, role });
  await tx.db.update(invitations).set({ status: 'accepted' }).where(eq(invitations.id, invitation.id));
  await logActivity(tx, { workspaceId: invitation.organizationId, kind: 'member', message: `${user.name} accepted an invitation and joined as ${role}` });
  return true;
}

async function adoptLegacyWorkspace(tx: Tx, user: NewAccount): Promise<string | null> {
  const [legacy] = await tx.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .leftJoin(members, eq(members.organizationId, workspaces.id))
    .where(and(eq(workspaces.isDefault, true), isNull(members.id)))
    .limit(1)
    .for('update', { of: workspaces });
  if (!legacy) return null;
  await tx.db.update(workspaces).set({ isDefault: false }).where(eq(workspaces.id, legacy.id));
  await tx.db.insert(members).values({ id: crypto.randomUUID(), organizationId: legacy.id, userId: user.id, role: 'owner' });
  await logActivity(tx, { workspaceId: legacy.id, kind: 'member', message: `${user.name} signed up and now owns this workspace` });
  return legacy.id;
}

async function createOwnWorkspace(tx: Tx, user: NewAccount): Promise<string> {
  const name = `${user.name.trim() || user.email.split('@')[0]}'s workspace`;
  const [workspace] = await tx.db.insert(workspaces).values({ id: crypto.randomUUID(), name, slug: newWorkspaceSlug(name) }).returning({ id: workspaces.id });
  await tx.db.insert(members).values({ id: crypto.randomUUID(), organizationId: workspace!.id, userId: user.id, role: 'owner' });
  await logActivity(tx, { workspaceId: workspace!.id, kind: 'member', message: `${user.name} created the workspace` });
  return workspace!.id;
}

/** The workspace a new session acts for: the one the account joined most recently. */
export async function preferredWorkspace(runtime: Runtime, userId: string): Promise<string | null> {
  const [row] = await runtime.db
    .select({ id: members.organizationId })
    .from(members)
    .where(eq(members.userId, userId))
    .orderBy(sql`${members.createdAt} desc`)
    .limit(1);
  return row?.id ?? null;
}
