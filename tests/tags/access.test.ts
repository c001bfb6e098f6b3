/**
 * Who may do what with tags, notes, re-enrich and saved views, and what a member of another
 * workspace sees of them: nothing. The role matrix runs every new mutation as each role (viewer
 * refused with the role it needs, member and up allowed; saved views open to viewers). The leak
 * check builds workspace A's tags, notes, views and re-enrich requests while B watches its own
 * explorer stream, then asks B's every query and mutation about A's ids.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WorkspaceRole } from '~/server/auth/roles';
import type { Envelope } from '~/server/events/catalog';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { callerAs, explorerStream, outcomeOf, personIn, seedTracks, type Caller, type Person } from './support';

const roles = ['viewer', 'member', 'admin', 'owner'] as const satisfies readonly WorkspaceRole[];
const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

interface Fixtures {
  trackIds: string[];
  tagId: string;
}

/** The new mutations, the role each needs, and a call of it that succeeds for an allowed role. */
const mutations: Record<string, { needs: WorkspaceRole; call: (c: Caller, f: Fixtures, role: WorkspaceRole) => Promise<unknown> }> = {
  'tags.create': { needs: 'member', call: (c, _f, role) => c.tags.create({ name: `made by ${role}`, color: 'red' }) },
  'tags.update': { needs: 'member', call: (c, f, role) => c.tags.update({ id: f.tagId, name: `renamed by ${role}` }) },
  'tags.tagTracks': { needs: 'member', call: (c, f) => c.tags.tagTracks({ tagId: f.tagId, trackIds: f.trackIds }) },
  'tags.untagTracks': { needs: 'member', call: (c, f) => c.tags.untagTracks({ tagId: f.tagId, trackIds: f.trackIds }) },
  'tags.remove': { needs: 'member', call: async (c, _f, role) => c.tags.remove({ id: (await c.tags.create({ name: `to remove by ${role}`, color: 'sky' })).id }) },
  'tracks.note': { needs: 'member', call: (c, f, role) => c.tracks.note({ id: f.trackIds[0]!, message: `note by ${role}` }) },
  'tracks.reenrichMany': { needs: 'member', call: (c, f) => c.tracks.reenrichMany({ trackIds: f.trackIds }) },
  'views.save': { needs: 'viewer', call: (c, _f, role) => c.views.save({ name: `view of ${role}`, query: `q=${role}` }) },
  'views.remove': { needs: 'viewer', call: async (c, _f, role) => c.views.remove({ id: (await c.views.save({ name: `gone of ${role}`, query: '' })).id }) },
};

describe('roles', () => {
  let runtime: TestRuntime;
  const people = {} as Record<WorkspaceRole, Person>;
  let fixtures: Fixtures;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    for (const role of roles) people[role] = await personIn(runtime, runtime.workspaceId, role, `The ${role}`);
    const owner = callerAs(runtime, people.owner);
    fixtures = { trackIds: await seedTracks(runtime, runtime.workspaceId, 2, 'Role'), tagId: (await owner.tags.create({ name: 'Role tag', color: 'amber' })).id };
  });
  afterAll(() => runtime.dispose());

  const cases = Object.entries(mutations).flatMap(([path, entry]) => roles.map((role) => [path, role, entry] as const));
  test.each(cases)('%s as %s', async (path, role, entry) => {
    const outcome = await outcomeOf(() => entry.call(callerAs(runtime, people[role]), fixtures, role));
    if (rank[role] >= rank[entry.needs]) expect(outcome, `${path} as ${role}`).toEqual({ code: 'ok', message: '' });
    else {
      expect(outcome).toEqual({
        code: 'FORBIDDEN',
        message: `This needs the ${entry.needs} role or higher in this workspace; you are a ${role}. Ask an admin to change your role.`,
      });
    }
  });

  test.each(roles)('reads are open to a %s: tags.list, tracks.detail, views.list', async (role) => {
    const c = callerAs(runtime, people[role]);
    expect((await c.tags.list()).length).toBeGreaterThan(0);
    expect((await c.tracks.detail({ id: fixtures.trackIds[0]! })).track.id).toBe(fixtures.trackIds[0]);
    expect(Array.isArray(await c.views.list())).toBe(true);
  });

  test("a refused mutation changes nothing: the viewer's note and tag are nowhere", async () => {
    const c = callerAs(runtime, people.owner);
    const { history } = await c.tracks.detail({ id: fixtures.trackIds[0]! });
    expect(history.map((h) => h.message)).toContain('note by member');
    expect(history.map((h) => h.message)).not.toContain('note by viewer');
    expect((await c.tags.list()).map((t) => t.name)).not.toContain('made by viewer');
  });
});

describe('another workspace sees none of it', () => {
  let runtime: TestRuntime;
  let a: Person;
  let aColleague: Person;
  let b: Person;
  const secrets = { trackIds: [] as string[], tagId: '', viewId: '', jobId: '', eventIds: [] as string[] };
  const AMARK = 'Aardvarkzz';
  let bStream: Awaited<ReturnType<typeof explorerStream>>;
  let bOwn: { tagId: string; trackId: string };

  beforeAll(async () => {
    runtime = await createTestRuntime();
    const B = await (await import('../support/accounts')).createWorkspace(runtime, 'Workspace B');
    a = await personIn(runtime, runtime.workspaceId, 'owner', `${AMARK} owner`);
    aColleague = await personIn(runtime, runtime.workspaceId, 'member', `${AMARK} colleague`);
    b = await personIn(runtime, B, 'owner', 'Beeswax owner');
    bStream = await explorerStream(runtime, b);
    const aStream = await explorerStream(runtime, a);

    const ca = callerAs(runtime, a);
    secrets.trackIds = await seedTracks(runtime, runtime.workspaceId, 2, `${AMARK} track`);
    const tag = await ca.tags.create({ name: `${AMARK} tag`, color: 'violet' });
    secrets.tagId = tag.id;
    await ca.tags.tagTracks({ tagId: tag.id, trackIds: secrets.trackIds });
    await ca.tags.update({ id: tag.id, color: 'red' });
    await ca.tracks.note({ id: secrets.trackIds[0]!, message: `${AMARK} secret note` });
    secrets.viewId = (await ca.views.save({ name: `${AMARK} view`, query: `q=${AMARK}` })).id;
    secrets.jobId = (await ca.tracks.reenrichMany({ trackIds: secrets.trackIds })).jobId;
    await ca.tags.untagTracks({ tagId: tag.id, trackIds: [secrets.trackIds[1]!] });

    // B's own changes, so B's stream is shown live (the search below is not vacuous).
    const cb = callerAs(runtime, b);
    const [bTrack] = await seedTracks(runtime, B, 1, 'Beeswax track');
    const bTag = await cb.tags.create({ name: 'Beeswax tag', color: 'sky' });
    await cb.tags.tagTracks({ tagId: bTag.id, trackIds: [bTrack!] });
    await cb.tracks.note({ id: bTrack!, message: 'Beeswax note' });
    await cb.views.save({ name: 'Beeswax view', query: '' });
    bOwn = { tagId: bTag.id, trackId: bTrack! };

    await waitFor(() => aStream.events.some((e) => e.type === 'track_tags_changed' && e.data.action === 'untagged'), { what: "A's last event on A's stream" });
    secrets.eventIds = aStream.events.map((e) => e.id);
    await waitFor(() => bStream.events.some((e) => e.type === 'saved_view_changed'), { what: "B's own view on B's stream" });
    await aStream.stop();
  });
  afterAll(async () => {
    await bStream.stop();
    await runtime.dispose();
  });

  test("B's explorer stream carried B's events and none of A's", async () => {
    const seen = bStream.events as Envelope[];
    expect(seen.map((e) => e.type).sort()).toEqual(['saved_view_changed', 'tag_changed', 'track_noted', 'track_tags_changed']);
    const text = JSON.stringify(bStream.messages);
    for (const secret of [AMARK, secrets.tagId, secrets.viewId, secrets.jobId, ...secrets.trackIds, ...secrets.eventIds]) expect(text).not.toContain(secret);
    expect(text).toContain(bOwn.tagId);
  });

  test("B's queries show nothing of A's", async () => {
    const cb = callerAs(runtime, b);
    const answers = JSON.stringify([await cb.tags.list(), await cb.views.list(), await cb.tracks.detail({ id: bOwn.trackId })]);
    expect(answers).toContain('Beeswax tag');
    for (const secret of [AMARK, secrets.tagId, secrets.viewId, ...secrets.trackIds]) expect(answers).not.toContain(secret);
  });

  test("B's every procedure given A's ids answers NOT_FOUND and changes nothing of A's", async () => {
    const cb = callerAs(runtime, b);
    const [t0, t1] = secrets.trackIds as [string, string];
    const calls: [string, () => Promise<unknown>][] = [
      ['tracks.detail', () => cb.tracks.detail({ id: t0 })],
      ['tracks.note', () => cb.tracks.note({ id: t0, message: 'planted' })],
      ['tracks.reenrichMany', () => cb.tracks.reenrichMany({ trackIds: [t0] })],
      ['tracks.reenrich', () => cb.tracks.reenrich({ id: t0, phases: [1] })],
      ['tags.update', () => cb.tags.update({ id: secrets.tagId, name: 'planted' })],
      ['tags.remove', () => cb.tags.remove({ id: secrets.tagId })],
      ['tags.tagTracks with A\'s tag', () => cb.tags.tagTracks({ tagId: secrets.tagId, trackIds: [bOwn.trackId] })],
      ['tags.tagTracks on A\'s track', () => cb.tags.tagTracks({ tagId: bOwn.tagId, trackIds: [t1] })],
      ['tags.untagTracks with A\'s tag', () => cb.tags.untagTracks({ tagId: secrets.tagId, trackIds: [bOwn.trackId] })],
      ['views.remove', () => cb.views.remove({ id: secrets.viewId })],
    ];
    for (const [name, call] of calls) {
      const outcome = await outcomeOf(call);
      expect(outcome.code, name).toBe('NOT_FOUND');
      expect(outcome.message, name).not.toContain(AMARK);
    }
    const ca = callerAs(runtime, a);
    const detail = await ca.tracks.detail({ id: t0 });
    expect(detail.track.tags.map((t) => t.name)).toEqual([`${AMARK} tag`]);
    expect(detail.history.map((h) => h.message)).not.toContain('planted');
    expect((await ca.views.list()).map((v) => v.id)).toEqual([secrets.viewId]);
  });

  test("a colleague in A sees A's tags and notes, but not A's owner's saved views", async () => {
    const cc = callerAs(runtime, aColleague);
    expect((await cc.tags.list()).map((t) => t.id)).toContain(secrets.tagId);
    expect((await cc.tracks.detail({ id: secrets.trackIds[0]! })).history.map((h) => h.message)).toContain(`${AMARK} secret note`);
    expect(await cc.views.list()).toEqual([]);
    expect((await outcomeOf(() => cc.views.remove({ id: secrets.viewId }))).code).toBe('NOT_FOUND');
  });

  test("resuming B's stream from one of A's event ids replays none of A's", async () => {
    const resumed = await explorerStream(runtime, b, { lastEventId: secrets.eventIds[0]! });
    await waitFor(() => resumed.messages.length > 0, { what: 'the resumed stream' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = JSON.stringify(resumed.messages);
    for (const secret of [AMARK, secrets.tagId, ...secrets.trackIds]) expect(text).not.toContain(secret);
    await resumed.stop();
  });
});
