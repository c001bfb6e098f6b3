/**
 * Better Auth, configured for Linernotes: email and password accounts, workspaces as its
 * organisations (roles in ./roles.ts), API keys owned by a workspace. Mounted at /api/auth by the
 * app server. Everything that reacts to an account or membership change (a new account's
 * workspace, activity rows, ending revoked streams) is in the hooks this file is handed.
 */
import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createAuthMiddleware } from 'better-auth/api';
import { organization } from 'better-auth/plugins';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { accounts, apiKeys, invitations, members, sessions, users, verifications, workspaces } from '../db/schema';
import { log } from '../log';
import { API_KEY_PREFIX } from './caller';
import { accessControl, accessRoles } from './roles';

export const AUTH_BASE_PATH = '/api/auth';
/** The header the app server sets from the socket's address (overwriting any a client sent), for the sign-in rate limit. */
export const CLIENT_IP_HEADER = 'x-linernotes-client-ip';

export interface AuthHooks {
  /** A new account: put it in the workspace it was invited to, or a new one of its own. */
  accountCreated(user: { id: string; name: string; email: string }, invitationId: string | null): Promise<void>;
  /** The workspace a new session acts for. */
  workspaceForNewSession(userId: string): Promise<string | null>;
  /** Membership changed: say so in the workspace's activity feed. */
  membershipChanged(change: { workspaceId: string; message: string }): Promise<void>;
  /** Someone left a workspace on their own. */
  memberLeft(left: { workspaceId: string; userId: string }): Promise<void>;
  workspaceDeleting(workspaceId: string): Promise<void>;
  /** Origins a browser may send cookie requests from, besides the request's own. */
  trustedOrigins(request: Request | undefined): string[];
}

export function createAuth(opts: { db: Database; config: Config; secret: string; hooks: AuthHooks }) {
  const { config, hooks } = opts;
  return betterAuth({
    appName: 'Linernotes',
    basePath: AUTH_BASE_PATH,
    // Unset, each request's own host is used (localhost and 127.0.0.1 both work in development).
    baseURL: config.BETTER_AUTH_URL ?? { allowedHosts: ['*'], protocol: 'http', fallback: `http://${config.HOST}:${config.PORT}` },
    secret: opts.secret,
    telemetry: { enabled: false },
    logger: { level: 'warn', log: (level, message, ...args) => log[level]({ args }, `auth: ${message}`) },
    database: drizzleAdapter(opts.db, {
      provider: 'pg',
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        organization: workspaces,
        member: members,
        invitation: invitations,
        apikey: apiKeys,
      },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8 },
    trustedOrigins: (request) => hooks.trustedOrigins(request),
    rateLimit: {
      enabled: config.AUTH_RATE_LIMIT,
      storage: 'memory',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: config.AUTH_SIGN_IN_PER_MINUTE },
        '/sign-up/email': { window: 60, max: config.AUTH_SIGN_IN_PER_MINUTE },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Better Auth turns its Origin and CSRF checks off when NODE_ENV=test or TEST is set: keep
      // them on everywhere, so tests see the protection production has.
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    // Keys are made by our apiKeys.create procedure (admin only, role checked); not over HTTP.
    disabledPaths: ['/api-key/create', '/api-key/update'],
    hooks: {
      // Leaving runs no organization hook of Better Auth's: say it in the activity feed here.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/organization/leave') return;
        // What the endpoint returned: the membership that ended (an error when it refused).
        const left = ctx.context.returned as { userId?: unknown; organizationId?: unknown } | null;
        if (left && typeof left.userId === 'string' && typeof left.organizationId === 'string') {
          await hooks.memberLeft({ workspaceId: left.organizationId, userId: left.userId });
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user, ctx) => {
            const body = (ctx?.body ?? {}) as { invitationId?: unknown };
            await hooks.accountCreated(user, typeof body.invitationId === 'string' ? body.invitationId : null);
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const activeOrganizationId = await hooks.workspaceForNewSession(session.userId);
            return { data: { ...session, activeOrganizationId } };
          },
        },
      },
    },
    plugins: [
      organization({
        ac: accessControl,
        roles: accessRoles,
        creatorRole: 'owner',
        invitationExpiresIn: 7 * 24 * 3600,
        cancelPendingInvitationsOnReInvite: true,
        // Invitations travel as links the inviter copies; no email is sent.
        sendInvitationEmail: async () => {},
        organizationHooks: {
          afterAddMember: async ({ member, user, organization }) =>
            hooks.membershipChanged({ workspaceId: organization.id, message: `${user.name} joined as ${member.role}` }),
          afterAcceptInvitation: async ({ member, user, organization }) =>
            hooks.membershipChanged({ workspaceId: organization.id, message: `${user.name} accepted an invitation and joined as ${member.role}` }),
          afterRemoveMember: async ({ user, organization }) =>
            hooks.membershipChanged({ workspaceId: organization.id, message: `${user.name} was removed from the workspace` }),
          afterUpdateMemberRole: async ({ member, user, organization, previousRole }) =>
            hooks.membershipChanged({ workspaceId: organization.id, message: `${user.name} is now ${member.role} (was ${previousRole})` }),
          afterCreateInvitation: async ({ invitation, organization }) =>
            hooks.membershipChanged({ workspaceId: organization.id, message: `${invitation.email} was invited as ${invitation.role}` }),
          afterUpdateOrganization: async ({ organization }) => {
            if (organization) await hooks.membershipChanged({ workspaceId: organization.id, message: `The workspace is now called ${organization.name}` });
          },
          beforeDeleteOrganization: async ({ organization }) => hooks.workspaceDeleting(organization.id),
        },
      }),
      apiKey({
        references: 'organization',
        defaultPrefix: API_KEY_PREFIX,
        enableMetadata: true,
        // Scripts poll and stream: the plugin's default (10 requests a day) would stop them.
        rateLimit: { enabled: false },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
