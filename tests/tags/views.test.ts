/**
 * Saved views through the real procedures: a person's own, by name (saving a name again
 * overwrites it), removable only by their owner, kept by viewers too; saved_view_changed reaches
 * the owner's explorer streams (their other tabs) and nobody else's.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { savedViews } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { apiKeyOf, callerAs, explorerStream, outcomeOf, personIn, type Person } from './support';

const viewEvents = (list: readonly Envelope[]) => list.filter((e) => e.type === 'saved_view_changed') as Envelope<'saved_view_changed'>[];

describe.each(engines)('saved views on %s', (engine) => {
  let runtime: TestRuntime;
  let viewer: Person;
  let colleague: Person;

  beforeAll(async () => {
    runtime = await createTestRuntime({ engine });
    viewer = await personIn(runtime, runtime.workspaceId, 'viewer', 'Viewing person');
    colleague = await personIn(runtime, runtime.workspaceId, 'admin', 'Admin colleague');
  });
  afterAll(() => runtime.dispose());

  test('a viewer saves, overwrites by name, lists and removes their views; the events reach only their own streams', async () => {
    const ownTab = await explorerStream(runtime, viewer);
    const colleagueTab = await explorerStream(runtime, colleague);
    const c = callerAs(runtime, viewer);

    const first = await c.views.save({ name: ' Big hits ', query: 'sort=streams.desc' });
    expect(first).toMatchObject({ name: 'Big hits', query: 'sort=streams.desc' });
    const other = await c.views.save({ name: 'Credits missing', query: 'hasCredits=false' });
    const again = await c.views.save({ name: 'Big hits', query: 'sort=streams.desc&statuses=completed' });
    expect(again.id).toBe(first.id);
    expect(again.query).toBe('sort=streams.desc&statuses=completed');
    expect(Date.parse(again.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
    expect((await c.views.list()).map((v) => [v.name, v.query])).toEqual([
      ['Big hits', 'sort=streams.desc&statuses=completed'],
      ['Credits missing', 'hasCredits=false'],
    ]);
    expect(await c.views.remove({ id: other.id })).toEqual({ id: other.id });
    expect((await c.views.list()).map((v) => v.id)).toEqual([first.id]);

    await waitFor(() => viewEvents(ownTab.events).length === 4, { what: 'four saved_view_changed' });
    expect(viewEvents(ownTab.events).map((e) => [e.data.viewId, e.data.name, e.data.query, e.data.removed, e.data.userId])).toEqual([
      [first.id, 'Big hits', 'sort=streams.desc', false, viewer.userId],
      [other.id, 'Credits missing', 'hasCredits=false', false, viewer.userId],
      [first.id, 'Big hits', 'sort=streams.desc&statuses=completed', false, viewer.userId],
      [other.id, 'Credits missing', null, true, viewer.userId],
    ]);
    // The colleague's stream is live (their own save arrives), and carried none of the viewer's.
    await callerAs(runtime, colleague).views.save({ name: 'Admin view', query: 'q=admin' });
    await waitFor(() => viewEvents(colleagueTab.events).length === 1, { what: "the colleague's own view" });
    expect(viewEvents(colleagueTab.events).map((e) => e.data.userId)).toEqual([colleague.userId]);
    await ownTab.stop();
    await colleagueTab.stop();
  });

  test('a resumed stream replays only its owner\'s view changes', async () => {
    const tab = await explorerStream(runtime, viewer);
    const c = callerAs(runtime, viewer);
    await c.views.save({ name: 'Resume mark', query: 'q=mark' });
    await waitFor(() => viewEvents(tab.events).some((e) => e.data.name === 'Resume mark'), { what: 'the mark' });
    const mark = tab.events.at(-1)!.id;
    await tab.stop();
    await callerAs(runtime, colleague).views.save({ name: 'Colleague while away', query: 'q=away' });
    await c.views.save({ name: 'Mine while away', query: 'q=mine' });
    const resumed = await explorerStream(runtime, viewer, { lastEventId: mark });
    await waitFor(() => viewEvents(resumed.events).length === 1, { what: 'the replayed view' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewEvents(resumed.events).map((e) => e.data.name)).toEqual(['Mine while away']);
    await resumed.stop();
  });

  test("another person's view is NOT_FOUND to remove, and absent from the list", async () => {
    const mine = await callerAs(runtime, colleague).views.save({ name: 'Private', query: 'q=secret' });
    const refused = await outcomeOf(() => callerAs(runtime, viewer).views.remove({ id: mine.id }));
    expect(refused).toEqual({ code: 'NOT_FOUND', message: `Saved view ${mine.id} was not found among your views in this workspace.` });
    expect(await runtime.db.select().from(savedViews).where(eq(savedViews.id, mine.id))).toHaveLength(1);
    expect((await callerAs(runtime, viewer).views.list()).map((v) => v.id)).not.toContain(mine.id);
  });

  test('limits: a name of 1 to 60 characters, a query of at most 4,000', async () => {
    const c = callerAs(runtime, viewer);
    expect((await outcomeOf(() => c.views.save({ name: '  ', query: '' }))).code).toBe('BAD_REQUEST');
    expect((await outcomeOf(() => c.views.save({ name: 'n'.repeat(61), query: '' }))).message).toContain('60 characters');
    expect((await outcomeOf(() => c.views.save({ name: 'Long', query: 'q'.repeat(4001) }))).message).toContain('4,000 characters');
    expect((await c.views.save({ name: 'n'.repeat(60), query: 'q'.repeat(4000) })).query).toHaveLength(4000);
    expect((await outcomeOf(() => c.views.remove({ id: 'not an id!' }))).code).toBe('BAD_REQUEST');
  });

  test('an API key has no views: its list is empty, and saving says to sign in', async () => {
    const key = callerAs(runtime, apiKeyOf(runtime.workspaceId, 'admin'));
    expect(await key.views.list()).toEqual([]);
    const refused = await outcomeOf(() => key.views.save({ name: 'Keyed', query: '' }));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toContain('sign in to save or remove a view');
  });

  test('deleting an account takes its views with it', async () => {
    const leaving = await personIn(runtime, runtime.workspaceId, 'member', 'Leaving person');
    const view = await callerAs(runtime, leaving).views.save({ name: 'Soon gone', query: '' });
    const { users } = await import('~/server/db/schema');
    await runtime.db.delete(users).where(eq(users.id, leaving.userId!));
    expect(await runtime.db.select().from(savedViews).where(eq(savedViews.id, view.id))).toHaveLength(0);
  });
});
