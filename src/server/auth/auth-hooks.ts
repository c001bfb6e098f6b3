/** What account and membership changes do to the rest of the app, wired to one runtime. */
import { eq } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { events, users } from '../db/schema';
import type { Runtime } from '../runtime';
import { preferredWorkspace, provisionAccount } from '../workspaces/provision-account';
import type { AuthHooks } from './auth';
import { appOrigins } from './origin';

export function authHooks(runtime: () => Runtime): AuthHooks {
  return {
    accountCreated: (user, invitationId) => provisionAccount(runtime(), user, invitationId),
    workspaceForNewSession: (userId) => preferredWorkspace(runtime(), userId),
    async membershipChanged({ workspaceId, message }) {
      const rt = runtime();
      await rt.log.transaction((tx) => logActivity(tx, { workspaceId, kind: 'member', message }));
      rt.access.recheckSoon();
    },
    async memberLeft({ workspaceId, userId }) {
      const [user] = await runtime().db.select({ name: users.name }).from(users).where(eq(users.id, userId));
      await this.membershipChanged({ workspaceId, message: `${user?.name ?? 'A member'} left the workspace` });
    },
    async workspaceDeleting(workspaceId) {
      // Every table cascades from the workspace row but the outbox, which keeps no foreign key.
      await runtime().db.delete(events).where(eq(events.workspaceId, workspaceId));
    },
    trustedOrigins: (request) => appOrigins(runtime().config, request?.headers ?? null),
  };
}
