/**
 * A workspace's life through Better Auth and our hooks: a new account's own workspace, joining
 * through an invitation instead, membership changes in the activity feed, deletion removing the
 * workspace's data (the outbox included), and a database from before sign-in adopted by its first
 * account.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import { listActivity } from '~/server/activity/queries';
import { events, members, playlists, workspaces } from '~/server/db/schema';
import { createAccount } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { note } from '../support/produce';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime | null = null;
afterEach(async () => {
  await runtime?.dispose();
  runtime = null;
});

const headers = (cookie: string) => new Headers({ cookie });

test('a new account owns a workspace named after it; one that signs up through an invitation joins the inviting workspace instead', async () => {
  runtime = await createTestRuntime();
  const ana = await createAccount(runtime, { name: 'Ana' });
  const [own] = await runtime.db.select().from(workspaces).where(eq(workspaces.id, ana.workspaceId));
  expect(own!.name).toBe("Ana's workspace");
  expect(await runtime.db.select({ role: members.role }).from(members).where(eq(members.userId, ana.userId))).toEqual([{ role: 'owner' }]);

  const invitation = await runtime.auth.api.createInvitation({ body: { email: 'ben@example.com', role: 'member', organizationId: ana.workspaceId }, headers: headers(ana.cookie) });
  const ben = await createAccount(runtime, { name: 'Ben', email: 'ben@example.com', invitationId: invitation.id });
  expect(ben.workspaceId).toBe(ana.workspaceId);
  expect(await runtime.db.select({ workspaceId: members.organizationId, role: members.role }).from(members).where(eq(members.userId, ben.userId))).toEqual([
    { workspaceId: ana.workspaceId, role: 'member' },
  ]);
  // The link is for one email: someone else signing up with it gets a workspace of their own.
  const carl = await createAccount(runtime, { name: 'Carl', invitationId: invitation.id });
  expect(carl.workspaceId).not.toBe(ana.workspaceId);
});

test('joining, role changes and leaving appear live in the workspace activity feed', async () => {
  runtime = await createTestRuntime();
  const ana = await createAccount(runtime, { name: 'Ana' });
  const feed = await subscribe(runtime, (c) => c.activityFeed(), { workspaceId: ana.workspaceId });
  await waitFor(() => feed.messages.length >= 1, { what: 'the snapshot' });
  const invitation = await runtime.auth.api.createInvitation({ body: { email: 'dee@example.com', role: 'viewer', organizationId: ana.workspaceId }, headers: headers(ana.cookie) });
  const dee = await createAccount(runtime, { name: 'Dee', email: 'dee@example.com', invitationId: invitation.id });
  const [member] = await runtime.db.select().from(members).where(and(eq(members.userId, dee.userId), eq(members.organizationId, ana.workspaceId)));
  await runtime.auth.api.updateMemberRole({ body: { memberId: member!.id, role: 'member', organizationId: ana.workspaceId }, headers: headers(ana.cookie) });
  await runtime.auth.api.leaveOrganization({ body: { organizationId: ana.workspaceId }, headers: headers(dee.cookie) });
  const messages = () => feed.events.map((e) => (e.data as { message: string }).message);
  await waitFor(() => messages().some((m) => m.includes('left')), { what: 'the leave in the feed' });
  expect(messages()).toEqual([
    'dee@example.com was invited as viewer',
    'Dee accepted an invitation and joined as viewer',
    'Dee is now member (was viewer)',
    'Dee left the workspace',
  ]);
  await feed.stop();
});

test("deleting a workspace removes its data, its outbox events included, and nothing of another workspace", async () => {
  runtime = await createTestRuntime({ env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0' } });
  const ana = await createAccount(runtime, { name: 'Ana' });
  const ben = await createAccount(runtime, { name: 'Ben' });
  for (const account of [ana, ben]) {
    await callerFor(runtime, undefined, { workspaceId: account.workspaceId }).playlists.add({ url: 'DemoPlaylist0000000007' });
    await note(runtime, `a note of ${account.name}`, account.workspaceId);
  }
  const countIn = async (table: typeof playlists | typeof events, workspaceId: string) =>
    (await runtime!.db.select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId)))[0]!.n;
  expect(await countIn(events, ana.workspaceId)).toBeGreaterThan(0);

  await runtime.auth.api.deleteOrganization({ body: { organizationId: ana.workspaceId }, headers: headers(ana.cookie) });
  expect(await runtime.db.select().from(workspaces).where(eq(workspaces.id, ana.workspaceId))).toEqual([]);
  expect(await countIn(playlists, ana.workspaceId)).toBe(0);
  expect(await countIn(events, ana.workspaceId)).toBe(0);
  expect(await runtime.db.select().from(members).where(eq(members.organizationId, ana.workspaceId))).toEqual([]);
  // Ben's workspace is untouched.
  expect(await countIn(playlists, ben.workspaceId)).toBe(1);
  expect((await listActivity(runtime.db, ben.workspaceId, { limit: 10 })).items.map((a) => a.message)).toContain('a note of Ben');
});

test("a database from before sign-in keeps its data: its first account adopts the old workspace, later ones get their own", async () => {
  runtime = await createTestRuntime({ env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0' } });
  // What the migration leaves of an old database: one default workspace with data and no members.
  await runtime.db.update(workspaces).set({ isDefault: true }).where(eq(workspaces.id, runtime.workspaceId));
  await callerFor(runtime).playlists.add({ url: 'DemoPlaylist0000000009' });
  const first = await createAccount(runtime, { name: 'Old hand' });
  expect(first.workspaceId).toBe(runtime.workspaceId);
  expect(await runtime.db.select({ role: members.role }).from(members).where(eq(members.userId, first.userId))).toEqual([{ role: 'owner' }]);
  expect((await callerFor(runtime, undefined, { workspaceId: first.workspaceId }).playlists.list()).map((p) => p.spotifyId)).toEqual(['DemoPlaylist0000000009']);
  const second = await createAccount(runtime, { name: 'Newcomer' });
  expect(second.workspaceId).not.toBe(runtime.workspaceId);
});
