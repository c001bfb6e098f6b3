/**
 * The role ladder, viewer < member < admin < owner:
 *   viewer  reads and subscribes
 *   member  also every tRPC mutation except apiKeys.*
 *   admin   also members, invitations and API keys
 *   owner   also deletes the workspace
 * Checked for every mutation of the router (a mutation missing from the table below fails the
 * test), for Better Auth's own workspace endpoints over HTTP with real accounts, and once over
 * HTTP with real API keys.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import type { WorkspaceRole } from '~/server/auth/roles';
import { invitations, members, tracks, workspaces } from '~/server/db/schema';
import type { AppServer } from '~/server/http/app-server';
import { createAccount, createKey, testCaller } from '../support/accounts';
import { callerFor } from '../support/caller';
import { POST as postNoteRoute } from '~/app/api/activity/notes/route';
import { POST as uploadRoute } from '~/app/api/imports/route';
import { GET as errorsCsvRoute } from '~/app/api/imports/[importId]/errors.csv/route';
import { GET as leadsExportRoute } from '~/app/api/leads/export/route';
import { forgetRuntime } from '~/server/runtime';
import { seedSongwriter } from '../contacts/support';
import { accountIn, cleanupList, demoId, procedures, serveRouteHandlersFrom, serverWorld, trpcHttp, type Member, type TestRuntime } from './support';

const roles = ['viewer', 'member', 'admin', 'owner'] as const satisfies readonly WorkspaceRole[];
const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

type Caller = ReturnType<typeof createCaller>;
interface Fixtures {
  playlistId: string;
  jobId: string;
  trackId: string;
  importId: string;
  tagId: string;
  /** A songwriter who is a contact, and one who is not. */
  songwriterId: string;
  looseSongwriterId: string;
}

/** Outcomes an allowed call may have: a result, or a domain refusal about the thing itself. */
type Allowed = 'ok' | 'NOT_FOUND' | 'CONFLICT';

interface MutationCase {
  needs: WorkspaceRole;
  /** What an allowed role may get (the fixture's state may change between roles). */
  allowed: Allowed[];
  call: (caller: Caller, f: Fixtures, role: WorkspaceRole) => Promise<unknown>;
}

const missing = '00000000-0000-4000-8000-000000000000';

/** Every mutation of the router, the role it needs, and a call of it. */
const mutationTable: Record<string, MutationCase> = {
  'activity.note': { needs: 'member', allowed: ['ok'], call: (c, _f, role) => c.activity.note({ message: `note by ${role}` }) },
  'analytics.refresh': { needs: 'member', allowed: ['ok'], call: (c) => c.analytics.refresh() },
  'imports.start': { needs: 'member', allowed: ['ok'], call: (c) => c.imports.start({ csv: `url\n${demoId(71)}\n`, filename: 'one.csv' }) },
  'imports.cancel': { needs: 'member', allowed: ['ok', 'CONFLICT'], call: (c, f) => c.imports.cancel({ importId: f.importId }) },
  'jobs.enqueue': { needs: 'member', allowed: ['ok'], call: (c, f) => c.jobs.enqueue({ playlistId: f.playlistId }) },
  'jobs.cancel': { needs: 'member', allowed: ['ok', 'CONFLICT'], call: (c, f) => c.jobs.cancel({ id: f.jobId }) },
  'jobs.retry': { needs: 'member', allowed: ['ok', 'CONFLICT'], call: (c, f) => c.jobs.retry({ id: f.jobId }) },
  'playlists.add': { needs: 'member', allowed: ['ok'], call: (c, _f, role) => c.playlists.add({ url: demoId(80 + rank[role]) }) },
  'playlists.refresh': { needs: 'member', allowed: ['ok'], call: (c, f) => c.playlists.refresh({ id: f.playlistId }) },
  'playlists.remove': { needs: 'member', allowed: ['NOT_FOUND'], call: (c) => c.playlists.remove({ id: missing }) },
  'tracks.reenrich': { needs: 'member', allowed: ['ok', 'CONFLICT'], call: (c, f) => c.tracks.reenrich({ id: f.trackId }) },
  'tracks.reenrichMany': { needs: 'member', allowed: ['ok'], call: (c, f) => c.tracks.reenrichMany({ trackIds: [f.trackId], phases: [4] }) },
  'tracks.note': { needs: 'member', allowed: ['ok'], call: (c, f, role) => c.tracks.note({ id: f.trackId, message: `track note by ${role}` }) },
  'tags.create': { needs: 'member', allowed: ['ok'], call: (c, _f, role) => c.tags.create({ name: `made by ${role}`, color: 'sky' }) },
  'tags.update': { needs: 'member', allowed: ['ok'], call: (c, f, role) => c.tags.update({ id: f.tagId, name: `renamed by ${role}` }) },
  'tags.remove': { needs: 'member', allowed: ['NOT_FOUND'], call: (c) => c.tags.remove({ id: missing }) },
  'tags.tagTracks': { needs: 'member', allowed: ['ok'], call: (c, f) => c.tags.tagTracks({ tagId: f.tagId, trackIds: [f.trackId] }) },
  'tags.untagTracks': { needs: 'member', allowed: ['ok'], call: (c, f) => c.tags.untagTracks({ tagId: f.tagId, trackIds: [f.trackId] }) },
  // A person's own views: a viewer may keep them too.
  'views.save': { needs: 'viewer', allowed: ['ok'], call: (c, _f, role) => c.views.save({ name: `view of ${role}`, query: 'statuses=completed' }) },
  'views.remove': { needs: 'viewer', allowed: ['NOT_FOUND'], call: (c) => c.views.remove({ id: missing }) },
  'contacts.create': { needs: 'member', allowed: ['ok', 'CONFLICT'], call: (c, f) => c.contacts.create({ songwriterId: f.looseSongwriterId }) },
  'contacts.update': { needs: 'member', allowed: ['ok'], call: (c, f, role) => c.contacts.update({ songwriterId: f.songwriterId, handles: { email: `${role}@example.com` } }) },
  'contacts.move': { needs: 'member', allowed: ['ok'], call: (c, f) => c.contacts.move({ songwriterId: f.songwriterId, stage: 'researching' }) },
  'contacts.remove': { needs: 'member', allowed: ['NOT_FOUND'], call: (c) => c.contacts.remove({ songwriterId: missing }) },
  'contacts.note': { needs: 'member', allowed: ['ok'], call: (c, f, role) => c.contacts.note({ songwriterId: f.songwriterId, body: `contact note by ${role}` }) },
  'songwriters.merge': { needs: 'member', allowed: ['NOT_FOUND'], call: (c, f) => c.songwriters.merge({ intoId: f.songwriterId, ids: [missing] }) },
  'songwriters.split': { needs: 'member', allowed: ['NOT_FOUND'], call: (c) => c.songwriters.split({ id: missing, aliases: [{ kind: 'name', key: 'someone' }] }) },
  'songwriters.undo': { needs: 'member', allowed: ['NOT_FOUND'], call: (c) => c.songwriters.undo({ operationId: missing }) },
  'songwriters.rescore': { needs: 'admin', allowed: ['ok'], call: (c) => c.songwriters.rescore({}) },
  'apiKeys.create': { needs: 'admin', allowed: ['ok'], call: (c, _f, role) => c.apiKeys.create({ name: `by ${role}`, role: 'viewer' }) },
  'apiKeys.revoke': { needs: 'admin', allowed: ['NOT_FOUND'], call: (c) => c.apiKeys.revoke({ id: missing }) },
};

/** Every query and subscription: viewers read and subscribe; only the API keys list needs more. */
const readTable: Record<string, { needs: WorkspaceRole; call: (caller: Caller, f: Fixtures) => Promise<unknown> }> = {
  'playlists.list': { needs: 'viewer', call: (c) => c.playlists.list() },
  'playlists.get': { needs: 'viewer', call: (c, f) => c.playlists.get({ id: f.playlistId }) },
  'tracks.list': { needs: 'viewer', call: (c) => c.tracks.list() },
  'tracks.get': { needs: 'viewer', call: (c, f) => c.tracks.get({ id: f.trackId }) },
  'tracks.detail': { needs: 'viewer', call: (c, f) => c.tracks.detail({ id: f.trackId }) },
  'tracks.explore': { needs: 'viewer', call: (c) => c.tracks.explore({ filter: { hasIsrc: false } }) },
  'tracks.exploreCount': { needs: 'viewer', call: (c) => c.tracks.exploreCount({}) },
  'playlists.history': { needs: 'viewer', call: (c, f) => c.playlists.history({ id: f.playlistId }) },
  'tags.list': { needs: 'viewer', call: (c) => c.tags.list() },
  'views.list': { needs: 'viewer', call: (c) => c.views.list() },
  'jobs.list': { needs: 'viewer', call: (c) => c.jobs.list() },
  'jobs.get': { needs: 'viewer', call: (c, f) => c.jobs.get({ id: f.jobId }) },
  'imports.list': { needs: 'viewer', call: (c) => c.imports.list() },
  'imports.get': { needs: 'viewer', call: (c, f) => c.imports.get({ importId: f.importId }) },
  'imports.errors': { needs: 'viewer', call: (c, f) => c.imports.errors({ importId: f.importId }) },
  'activity.list': { needs: 'viewer', call: (c) => c.activity.list() },
  'analytics.get': { needs: 'viewer', call: (c) => c.analytics.get() },
  'workspace.current': { needs: 'viewer', call: (c) => c.workspace.current() },
  'songwriters.list': { needs: 'viewer', call: (c) => c.songwriters.list({ contactsOnly: true }) },
  'songwriters.get': { needs: 'viewer', call: (c, f) => c.songwriters.get({ id: f.songwriterId }) },
  'contacts.board': { needs: 'viewer', call: (c) => c.contacts.board() },
  'apiKeys.list': { needs: 'admin', call: (c) => c.apiKeys.list() },
  jobStatus: { needs: 'viewer', call: (c) => openAndClose(c.jobStatus()) },
  trackStatus: { needs: 'viewer', call: (c) => openAndClose(c.trackStatus()) },
  activityFeed: { needs: 'viewer', call: (c) => openAndClose(c.activityFeed()) },
  importProgress: { needs: 'viewer', call: (c) => openAndClose(c.importProgress()) },
  playlistUpdates: { needs: 'viewer', call: (c) => openAndClose(c.playlistUpdates()) },
  trackExplorer: { needs: 'viewer', call: (c) => openAndClose(c.trackExplorer()) },
  leads: { needs: 'viewer', call: (c) => openAndClose(c.leads()) },
};

/** Process-wide figures: not a workspace role but the deployment's operators (tests/access/operator.test.ts). */
const operatorOnly = ['ops.live'];

/** A subscription is allowed when its first message (the snapshot) arrives. */
async function openAndClose(pending: Promise<AsyncIterable<unknown>>) {
  const iterator = (await pending)[Symbol.asyncIterator]();
  const first = await iterator.next();
  await iterator.return?.(undefined);
  return first.value;
}

async function outcomeOf(work: () => Promise<unknown>): Promise<{ code: 'ok' } | { code: string; message: string }> {
  try {
    await work();
    return { code: 'ok' };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}

const cleanups = cleanupList();
let runtime: TestRuntime;
let server: AppServer;
let fixtures: Fixtures;
const users = {} as Record<WorkspaceRole, Member>;

/**
 * A procedure-level caller acting as the real account holding that role in the workspace (Better
 * Auth checks the maker's membership when apiKeys.create stores a key; a saved view is its user's).
 */
function as(role: WorkspaceRole): Caller {
  return createCaller(createContextFactory(runtime)({ caller: { ...testCaller(runtime.workspaceId, role), userId: users[role].userId, name: users[role].name } }));
}

// One runtime and server for the file; the cases only add to the workspace.
beforeAll(async () => {
  ({ runtime, server } = await serverWorld(cleanups));
  for (const role of roles) users[role] = await accountIn(runtime, runtime.workspaceId, role, `The ${role}`);
  const owner = callerFor(runtime);
  const added = await owner.playlists.add({ url: demoId(70) });
  const [track] = await runtime.db.select({ id: tracks.id }).from(tracks).where(eq(tracks.workspaceId, runtime.workspaceId)).limit(1);
  const { importId } = await owner.imports.start({ csv: `url\n${demoId(72)}\n${demoId(73)}\n`, filename: 'two.csv' });
  const tag = await owner.tags.create({ name: 'shortlist', color: 'amber' });
  const songwriterId = await seedSongwriter(runtime, runtime.workspaceId, { name: 'Role Writer', tracks: [{ label: 'DistroKid', streams: 10 }] });
  const looseSongwriterId = await seedSongwriter(runtime, runtime.workspaceId, { name: 'Loose Writer', tracks: [{ label: null, streams: null }] });
  await owner.contacts.create({ songwriterId });
  fixtures = { playlistId: added.id, jobId: added.jobId!, trackId: track!.id, importId, tagId: tag.id, songwriterId, looseSongwriterId };
});
afterAll(() => cleanups.run());

describe('tRPC mutations, procedure level', () => {
  test('the table lists exactly the router\'s mutations (a new mutation needs an entry here)', () => {
    const mutations = procedures()
      .filter((p) => p.type === 'mutation')
      .map((p) => p.path)
      .sort();
    expect(mutations).toEqual(Object.keys(mutationTable).sort());
  });

  const cases = Object.entries(mutationTable).flatMap(([path, entry]) => roles.map((role) => [path, role, entry] as const));
  test.each(cases)('%s as %s', async (path, role, entry) => {
    const outcome = await outcomeOf(() => entry.call(as(role), fixtures, role));
    if (rank[role] >= rank[entry.needs]) {
      expect(entry.allowed, `${path} as ${role}: ${JSON.stringify(outcome)}`).toContain(outcome.code);
    } else {
      expect(outcome.code, `${path} as ${role} must be refused`).toBe('FORBIDDEN');
      expect((outcome as { message: string }).message).toBe(
        `This needs the ${entry.needs} role or higher in this workspace; you are a ${role}. Ask an admin to change your role.`,
      );
    }
  });

  test('a refused mutation changes nothing: a viewer\'s note is not in the feed', async () => {
    const { items } = await as('owner').activity.list({ limit: 200 });
    const messages = items.map((item) => (item as { message: string }).message);
    expect(messages).toContain('note by member');
    expect(messages).not.toContain('note by viewer');
  });
});

describe('tRPC queries and subscriptions, procedure level', () => {
  test('the table lists exactly the router\'s queries and subscriptions', () => {
    const reads = procedures()
      .filter((p) => p.type !== 'mutation' && !operatorOnly.includes(p.path))
      .map((p) => p.path)
      .sort();
    expect(reads).toEqual(Object.keys(readTable).sort());
  });

  const cases = Object.entries(readTable).flatMap(([path, entry]) => roles.map((role) => [path, role, entry] as const));
  test.each(cases)('%s as %s', async (path, role, entry) => {
    const outcome = await outcomeOf(() => entry.call(as(role), fixtures));
    if (rank[role] >= rank[entry.needs]) expect(outcome.code, `${path} as ${role}: ${JSON.stringify(outcome)}`).toBe('ok');
    else {
      expect(outcome.code).toBe('FORBIDDEN');
      expect((outcome as { message: string }).message).toMatch(new RegExp(`needs the ${entry.needs} role or higher.*you are a ${role}`));
    }
  });
});

describe('Better Auth workspace endpoints, over HTTP with real accounts', () => {
  /** A POST to Better Auth as the browser page of `actor` would send it. */
  async function authPost(actor: Member, path: string, body: unknown) {
    const response = await fetch(`${server.url}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: actor.cookie, origin: server.url },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  const memberRow = async (memberId: string) =>
    (await runtime.db.select({ role: members.role }).from(members).where(eq(members.id, memberId)))[0] ?? null;

  test.each(roles)('invite a member, as %s: admin and up only', async (role) => {
    const email = `invited-by-${role}-${Date.now()}@example.com`;
    const response = await authPost(users[role], '/organization/invite-member', { email, role: 'member', organizationId: runtime.workspaceId });
    const stored = await runtime.db
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.email, email), eq(invitations.organizationId, runtime.workspaceId)));
    if (rank[role] >= rank.admin) {
      expect(response.status, response.text).toBe(200);
      expect(stored).toHaveLength(1);
    } else {
      expect([401, 403], response.text).toContain(response.status);
      expect(stored).toHaveLength(0);
    }
  });

  test.each(roles)('change a member\'s role, as %s: admin and up only', async (role) => {
    const target = await accountIn(runtime, runtime.workspaceId, 'member');
    const response = await authPost(users[role], '/organization/update-member-role', { memberId: target.memberId, role: 'viewer', organizationId: runtime.workspaceId });
    if (rank[role] >= rank.admin) {
      expect(response.status, response.text).toBe(200);
      expect((await memberRow(target.memberId))?.role).toBe('viewer');
    } else {
      expect([401, 403], response.text).toContain(response.status);
      expect((await memberRow(target.memberId))?.role).toBe('member');
    }
  });

  test.each(['viewer', 'member'] as const)('a %s cannot promote themselves to admin', async (role) => {
    const self = await accountIn(runtime, runtime.workspaceId, role);
    const response = await authPost(self, '/organization/update-member-role', { memberId: self.memberId, role: 'admin', organizationId: runtime.workspaceId });
    expect([401, 403], response.text).toContain(response.status);
    expect((await memberRow(self.memberId))?.role).toBe(role);
  });

  test('an admin cannot make themselves owner (which would let them delete the workspace)', async () => {
    const admin = await accountIn(runtime, runtime.workspaceId, 'admin');
    const response = await authPost(admin, '/organization/update-member-role', { memberId: admin.memberId, role: 'owner', organizationId: runtime.workspaceId });
    expect([401, 403], response.text).toContain(response.status);
    expect((await memberRow(admin.memberId))?.role).toBe('admin');
  });

  test.each(roles)('remove a member, as %s: admin and up only', async (role) => {
    const target = await accountIn(runtime, runtime.workspaceId, 'member');
    const response = await authPost(users[role], '/organization/remove-member', { memberIdOrEmail: target.memberId, organizationId: runtime.workspaceId });
    if (rank[role] >= rank.admin) {
      expect(response.status, response.text).toBe(200);
      expect(await memberRow(target.memberId)).toBeNull();
    } else {
      expect([401, 403], response.text).toContain(response.status);
      expect(await memberRow(target.memberId)).not.toBeNull();
    }
  });

  test('delete the workspace: refused to viewer, member and admin; the owner can', async () => {
    // A workspace of its own, so the other cases keep theirs.
    const owner = await createAccount(runtime, { name: 'Doomed owner' });
    const doomed = owner.workspaceId;
    const others = {
      viewer: await accountIn(runtime, doomed, 'viewer'),
      member: await accountIn(runtime, doomed, 'member'),
      admin: await accountIn(runtime, doomed, 'admin'),
    };
    const exists = async () => (await runtime.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, doomed))).length === 1;
    for (const [role, actor] of Object.entries(others)) {
      const response = await authPost(actor, '/organization/delete', { organizationId: doomed });
      expect([401, 403], `${role}: ${response.text}`).toContain(response.status);
      expect(await exists(), `${role} deleted the workspace`).toBe(true);
    }
    const response = await authPost({ ...owner, memberId: '' }, '/organization/delete', { organizationId: doomed });
    expect(response.status, response.text).toBe(200);
    expect(await exists()).toBe(false);
  });
});

describe('over HTTP with real API keys', () => {
  test.each(['viewer', 'member', 'admin'] as const)('a %s key: activity.note needs member, apiKeys.list needs admin', async (role) => {
    const key = await createKey(runtime, runtime.workspaceId, role);
    const headers = { authorization: `Bearer ${key}` };
    const note = await trpcHttp(server, 'activity.note', 'mutation', { headers, input: { message: `from a ${role} key` } });
    if (rank[role] >= rank.member) expect(note.status, note.text).toBe(200);
    else {
      expect(note.status).toBe(403);
      expect(note.body.error?.data?.code).toBe('FORBIDDEN');
      expect(note.body.error?.message).toMatch(/needs the member role or higher.*you are a viewer/);
    }
    const list = await trpcHttp(server, 'apiKeys.list', 'query', { headers });
    if (rank[role] >= rank.admin) expect(list.status, list.text).toBe(200);
    else {
      expect(list.status).toBe(403);
      expect(list.body.error?.message).toMatch(new RegExp(`needs the admin role or higher.*you are a ${role}`));
    }
    const read = await trpcHttp(server, 'playlists.list', 'query', { headers });
    expect(read.status).toBe(200);
  });
});

describe('Better Auth workspace endpoints across workspaces', () => {
  async function authPost(cookie: string, path: string, body: unknown) {
    const response = await fetch(`${server.url}/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: server.url },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  test('the owner of another workspace can neither change, remove nor invite members of this one, nor switch into it, nor delete it', async () => {
    const stranger = await createAccount(runtime, { name: 'Stranger owner' });
    const target = await accountIn(runtime, runtime.workspaceId, 'member');
    const roleOf = async () => (await runtime.db.select({ role: members.role }).from(members).where(eq(members.id, target.memberId)))[0]?.role ?? null;
    const attempts = [
      ['update-member-role here', '/organization/update-member-role', { memberId: target.memberId, role: 'viewer', organizationId: runtime.workspaceId }],
      ['update-member-role via own workspace', '/organization/update-member-role', { memberId: target.memberId, role: 'viewer', organizationId: stranger.workspaceId }],
      ['remove-member here', '/organization/remove-member', { memberIdOrEmail: target.memberId, organizationId: runtime.workspaceId }],
      ['remove-member via own workspace', '/organization/remove-member', { memberIdOrEmail: target.memberId, organizationId: stranger.workspaceId }],
      ['invite-member here', '/organization/invite-member', { email: `planted-${Date.now()}@example.com`, role: 'admin', organizationId: runtime.workspaceId }],
      ['set-active here', '/organization/set-active', { organizationId: runtime.workspaceId }],
      ['delete here', '/organization/delete', { organizationId: runtime.workspaceId }],
    ] as const;
    for (const [name, path, body] of attempts) {
      const response = await authPost(stranger.cookie, path, body);
      expect([400, 401, 403, 404], `${name}: ${response.status} ${response.text}`).toContain(response.status);
    }
    expect(await roleOf()).toBe('member');
    expect(await runtime.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, runtime.workspaceId))).toHaveLength(1);
    const planted = await runtime.db.select({ id: invitations.id }).from(invitations).where(and(eq(invitations.organizationId, runtime.workspaceId), eq(invitations.role, 'admin')));
    expect(planted).toHaveLength(0);
    // The stranger still acts for their own workspace.
    const current = await trpcHttp(server, 'workspace.current', 'query', { headers: { cookie: stranger.cookie } });
    expect(JSON.stringify(current.body.result)).toContain(stranger.workspaceId);
  });
});

describe('route handlers (the Next route modules), with real API keys of each role', () => {
  test.each(['viewer', 'member', 'admin'] as const)('a %s key: notes and uploads need member, the error report and the leads export need viewer', async (role) => {
    serveRouteHandlersFrom(runtime);
    try {
      const key = await createKey(runtime, runtime.workspaceId, role);
      const authorization = `Bearer ${key}`;
      const note = await postNoteRoute(
        new Request(`${server.url}/api/activity/notes`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ message: `route note by ${role}` }) }),
      );
      const upload = await uploadRoute(
        new Request(`${server.url}/api/imports?filename=up.csv`, { method: 'POST', headers: { authorization, 'content-type': 'text/csv' }, body: `url\n${demoId(90)}\n` }),
      );
      const report = await errorsCsvRoute(new Request(`${server.url}/api/imports/${fixtures.importId}/errors.csv`, { headers: { authorization } }), {
        params: Promise.resolve({ importId: fixtures.importId }),
      });
      expect(report.status).toBe(200);
      const leads = await leadsExportRoute(new Request(`${server.url}/api/leads/export`, { headers: { authorization } }));
      expect(leads.status).toBe(200);
      expect(await leads.text()).toContain('Role Writer');
      if (rank[role] >= rank.member) {
        expect(note.status).toBe(201);
        expect(upload.status).toBe(202);
      } else {
        for (const response of [note, upload]) {
          expect(response.status).toBe(403);
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe('FORBIDDEN');
          expect(body.error.message).toMatch(/needs the member role or higher.*you are a viewer/);
        }
      }
    } finally {
      forgetRuntime();
    }
  });

  test('without credentials every route handler answers 401', async () => {
    serveRouteHandlersFrom(runtime);
    try {
      const note = await postNoteRoute(new Request(`${server.url}/api/activity/notes`, { method: 'POST', body: JSON.stringify({ message: 'anonymous' }) }));
      const upload = await uploadRoute(new Request(`${server.url}/api/imports`, { method: 'POST', body: `url\n${demoId(91)}\n` }));
      const report = await errorsCsvRoute(new Request(`${server.url}/api/imports/${fixtures.importId}/errors.csv`), { params: Promise.resolve({ importId: fixtures.importId }) });
      const leads = await leadsExportRoute(new Request(`${server.url}/api/leads/export`));
      expect([note.status, upload.status, report.status, leads.status]).toEqual([401, 401, 401, 401]);
    } finally {
      forgetRuntime();
    }
  });
});
