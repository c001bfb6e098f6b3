/**
 * Tags through the real procedures: create, rename, recolour, delete, apply to and remove from
 * many tracks at once; their rules (names trimmed, 1-40 characters, unique whatever the case), and
 * what each change leaves behind: a tag_changed or one track_tags_changed per batch arriving on the
 * explorer's subscription, an entry in each changed track's history, one activity row per batch.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { activity, events, trackHistory, trackTags } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { createWorkspace } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { callerAs, explorerStream, outcomeOf, personIn, seedTracks, type Person } from './support';

const ofType = <T extends Envelope['type']>(list: readonly Envelope[], type: T) => list.filter((e) => e.type === type) as Envelope<T>[];

describe.each(engines)('tags on %s', (engine) => {
  let runtime: TestRuntime;
  let member: Person;
  let member2: Person;

  beforeAll(async () => {
    runtime = await createTestRuntime({ engine });
    member = await personIn(runtime, runtime.workspaceId, 'member', 'Tagging member');
    member2 = await personIn(runtime, runtime.workspaceId, 'member', 'Another member');
  });
  afterAll(() => runtime.dispose());

  const rowsOf = async (table: typeof trackTags | typeof trackHistory | typeof activity | typeof events) =>
    Number((await runtime.db.select({ n: count() }).from(table))[0]!.n);

  test('create, rename, recolour and delete: each arrives as tag_changed on the explorer stream, in order', async () => {
    const stream = await explorerStream(runtime, member2);
    const c = callerAs(runtime, member);
    const created = await c.tags.create({ name: '  Focus  ', color: 'sky' });
    expect(created).toMatchObject({ name: 'Focus', color: 'sky' });
    const renamed = await c.tags.update({ id: created.id, name: 'Focus list' });
    const recoloured = await c.tags.update({ id: created.id, color: 'pink' });
    expect(recoloured).toMatchObject({ id: created.id, name: 'Focus list', color: 'pink' });
    expect(renamed.name).toBe('Focus list');
    // Nothing to change: no event.
    await c.tags.update({ id: created.id, color: 'pink' });
    expect(await c.tags.remove({ id: created.id })).toEqual({ id: created.id });

    await waitFor(() => ofType(stream.events, 'tag_changed').filter((e) => e.data.tagId === created.id).length === 4, { what: 'four tag_changed' });
    const seen = ofType(stream.events, 'tag_changed').filter((e) => e.data.tagId === created.id);
    expect(seen.map((e) => [e.data.change, e.data.name, e.data.color])).toEqual([
      ['created', 'Focus', 'sky'],
      ['updated', 'Focus list', 'sky'],
      ['updated', 'Focus list', 'pink'],
      ['deleted', 'Focus list', 'pink'],
    ]);
    expect(seen.every((e) => e.workspaceId === runtime.workspaceId)).toBe(true);
    expect((await c.tags.list()).map((t) => t.id)).not.toContain(created.id);
    await stream.stop();
  });

  test('tags.list: by name whatever the case, each with its track count', async () => {
    const c = callerAs(runtime, member);
    const zed = await c.tags.create({ name: 'zed list', color: 'slate' });
    const alpha = await c.tags.create({ name: 'Alpha list', color: 'red' });
    const mid = await c.tags.create({ name: 'mid list', color: 'amber' });
    const ids = await seedTracks(runtime, runtime.workspaceId, 3, 'Counted');
    await c.tags.tagTracks({ tagId: alpha.id, trackIds: ids });
    await c.tags.tagTracks({ tagId: mid.id, trackIds: [ids[0]!] });
    const listed = (await c.tags.list()).filter((t) => [zed.id, alpha.id, mid.id].includes(t.id));
    expect(listed.map((t) => [t.name, t.trackCount])).toEqual([
      ['Alpha list', 3],
      ['mid list', 1],
      ['zed list', 0],
    ]);
    expect(listed[0]).toMatchObject({ id: alpha.id, color: 'red', createdAt: alpha.createdAt });
  });

  test('names: trimmed, 1 to 40 characters, unique in the workspace whatever the case (CONFLICT with a sentence)', async () => {
    const c = callerAs(runtime, member);
    const taken = await c.tags.create({ name: 'Pitched', color: 'emerald' });
    const clash = await outcomeOf(() => c.tags.create({ name: ' pitched ', color: 'red' }));
    expect(clash).toEqual({ code: 'CONFLICT', message: 'A tag named "Pitched" already exists in this workspace; pick another name, or use that tag.' });
    expect((await outcomeOf(() => c.tags.create({ name: '   ', color: 'red' }))).code).toBe('BAD_REQUEST');
    expect((await outcomeOf(() => c.tags.create({ name: 'x'.repeat(41), color: 'red' }))).message).toContain('40 characters');
    expect((await c.tags.create({ name: 'y'.repeat(40), color: 'red' })).name).toHaveLength(40);
    expect((await outcomeOf(() => c.tags.create({ name: 'Orange', color: 'orange' as 'red' }))).message).toContain('slate, red, amber');
    expect((await outcomeOf(() => c.tags.create({ name: 'Extra', color: 'red', extra: 1 } as never))).code).toBe('BAD_REQUEST');

    const other = await c.tags.create({ name: 'Holding', color: 'violet' });
    expect((await outcomeOf(() => c.tags.update({ id: other.id, name: 'PITCHED' }))).code).toBe('CONFLICT');
    // A tag may change its own case.
    expect((await c.tags.update({ id: taken.id, name: 'PITCHED' })).name).toBe('PITCHED');
    expect((await outcomeOf(() => c.tags.update({ id: other.id }))).message).toContain('Send a new name, a new color, or both');
    expect((await outcomeOf(() => c.tags.update({ id: crypto.randomUUID(), name: 'Ghost' }))).code).toBe('NOT_FOUND');
    expect((await outcomeOf(() => c.tags.remove({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
  });

  test('two creates of one name at once: one tag, the other is told of the clash', async () => {
    const c = callerAs(runtime, member);
    const results = await Promise.all([outcomeOf(() => c.tags.create({ name: 'Race', color: 'red' })), outcomeOf(() => c.tags.create({ name: 'RACE', color: 'sky' }))]);
    expect(results.map((r) => r.code).sort()).toEqual(['CONFLICT', 'ok']);
    expect((await c.tags.list()).filter((t) => t.name.toLowerCase() === 'race')).toHaveLength(1);
  });

  test('apply and unapply: one track_tags_changed per batch naming the tracks that changed, a history entry each, one activity row', async () => {
    const stream = await explorerStream(runtime, member2);
    const c = callerAs(runtime, member);
    const tag = await c.tags.create({ name: 'Batch', color: 'indigo' });
    const ids = await seedTracks(runtime, runtime.workspaceId, 4, 'Batched');
    const activityBefore = await rowsOf(activity);

    expect(await c.tags.tagTracks({ tagId: tag.id, trackIds: [ids[0]!, ids[1]!] })).toEqual({ changed: 2 });
    // Overlapping and repeated ids: only the two new ones change.
    expect(await c.tags.tagTracks({ tagId: tag.id, trackIds: [ids[1]!, ids[2]!, ids[3]!, ids[3]!] })).toEqual({ changed: 2 });
    // Nothing new: no event, no history, no activity.
    expect(await c.tags.tagTracks({ tagId: tag.id, trackIds: [ids[0]!] })).toEqual({ changed: 0 });
    expect(await c.tags.untagTracks({ tagId: tag.id, trackIds: [ids[0]!, ids[2]!] })).toEqual({ changed: 2 });
    expect(await c.tags.untagTracks({ tagId: tag.id, trackIds: [ids[0]!] })).toEqual({ changed: 0 });

    await waitFor(() => ofType(stream.events, 'track_tags_changed').filter((e) => e.data.tagId === tag.id).length === 3, { what: 'three batches' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const batches = ofType(stream.events, 'track_tags_changed').filter((e) => e.data.tagId === tag.id);
    expect(batches.map((e) => [e.data.action, e.data.trackIds])).toEqual([
      ['tagged', [ids[0], ids[1]]],
      ['tagged', [ids[2], ids[3]]],
      ['untagged', [ids[0], ids[2]]],
    ]);
    expect(batches[0]!.data).toMatchObject({ name: 'Batch', color: 'indigo' });

    const history = await runtime.db.select().from(trackHistory).where(eq(trackHistory.trackId, ids[0]!));
    expect(history.map((h) => [h.kind, h.message, h.by])).toEqual([
      ['tagged', 'Tagged "Batch".', member.userId],
      ['untagged', 'Untagged "Batch".', member.userId],
    ]);
    expect(await rowsOf(activity)).toBe(activityBefore + 3);
    const tagged = await runtime.db.select({ trackId: trackTags.trackId, by: trackTags.createdBy }).from(trackTags).where(eq(trackTags.tagId, tag.id));
    expect(tagged.map((t) => t.trackId).sort()).toEqual([ids[1]!, ids[3]!].sort());
    expect(new Set(tagged.map((t) => t.by))).toEqual(new Set([member.userId]));
    await stream.stop();
  });

  test('an unknown or foreign track id refuses the whole batch (NOT_FOUND), and nothing is written', async () => {
    const c = callerAs(runtime, member);
    const tag = await c.tags.create({ name: 'Strict', color: 'red' });
    const [mine] = await seedTracks(runtime, runtime.workspaceId, 1, 'Mine');
    const [theirs] = await seedTracks(runtime, await createWorkspace(runtime, 'Another label'), 1, 'Theirs');
    const before = await Promise.all([rowsOf(trackTags), rowsOf(trackHistory), rowsOf(activity), rowsOf(events)]);
    for (const trackIds of [[mine!, theirs!], [mine!, 'no-such-track']]) {
      const refused = await outcomeOf(() => c.tags.tagTracks({ tagId: tag.id, trackIds }));
      expect(refused.code).toBe('NOT_FOUND');
      expect(refused.message).toMatch(/^1 track of the 2 asked for was not found in this workspace \(.+\); nothing was tagged\.$/);
      expect((await outcomeOf(() => c.tags.untagTracks({ tagId: tag.id, trackIds }))).code).toBe('NOT_FOUND');
    }
    expect((await outcomeOf(() => c.tags.tagTracks({ tagId: crypto.randomUUID(), trackIds: [mine!] }))).message).toMatch(/^Tag .+ was not found in this workspace\.$/);
    expect(await Promise.all([rowsOf(trackTags), rowsOf(trackHistory), rowsOf(activity), rowsOf(events)])).toEqual(before);
    expect((await outcomeOf(() => c.tags.tagTracks({ tagId: tag.id, trackIds: [] }))).code).toBe('BAD_REQUEST');
  });

  test('5,000 tracks in one apply; 5,001 is refused', async () => {
    const c = callerAs(runtime, member);
    const tag = await c.tags.create({ name: 'Bulk', color: 'slate' });
    const ids = await seedTracks(runtime, runtime.workspaceId, 5000, 'Bulk');
    expect(await c.tags.tagTracks({ tagId: tag.id, trackIds: ids })).toEqual({ changed: 5000 });
    const histories = await runtime.db.select({ n: count() }).from(trackHistory).where(and(eq(trackHistory.kind, 'tagged'), eq(trackHistory.message, 'Tagged "Bulk".')));
    expect(Number(histories[0]!.n)).toBe(5000);
    expect((await outcomeOf(() => c.tags.tagTracks({ tagId: tag.id, trackIds: [...ids, ids[0]!] }))).message).toContain('at most 5,000');
    expect(await c.tags.untagTracks({ tagId: tag.id, trackIds: ids })).toEqual({ changed: 5000 });
  });

  test('deleting a tag untags every track it was on, each track\'s history says so', async () => {
    const c = callerAs(runtime, member);
    const tag = await c.tags.create({ name: 'Doomed', color: 'red' });
    const ids = await seedTracks(runtime, runtime.workspaceId, 3, 'Doomed');
    await c.tags.tagTracks({ tagId: tag.id, trackIds: ids });
    await c.tags.remove({ id: tag.id });
    expect(await runtime.db.select().from(trackTags).where(eq(trackTags.tagId, tag.id))).toHaveLength(0);
    const detail = await c.tracks.detail({ id: ids[1]! });
    expect(detail.track.tags).toEqual([]);
    expect(detail.history.map((h) => [h.kind, h.message])).toEqual([
      ['untagged', 'Untagged "Doomed" (the tag was deleted).'],
      ['tagged', 'Tagged "Doomed".'],
    ]);
    const [feed] = (await c.activity.list({ limit: 1 })).items;
    expect(feed!.message).toBe('Deleted tag "Doomed" (it was on 3 tracks).');
  });

});
