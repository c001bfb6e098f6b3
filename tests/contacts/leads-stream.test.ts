/**
 * The `leads` subscription's delivery semantics, as `trackExplorer`'s are tested: started fresh it
 * sends a snapshot holding only the position to resume from (the pages are read by queries);
 * resumed from an id it replays exactly what was missed, in outbox order, with no snapshot; an id
 * of another stream (epoch), one it never sent, one trimmed away or one of another workspace
 * gets a typed resync and then a snapshot. It carries songwriter_score_changed,
 * songwriter_merged, contact_changed and contact_noted of its own workspace only; with
 * `songwriterId`, that songwriter's events and the merges or splits that name them.
 *
 * Contact events come from the real procedures; score and merge events are written to the outbox
 * directly here (their producers have their own tests), so the filter is tested on every type.
 */
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { leadsTypes } from '~/server/api/subscriptions';
import type { EventInput } from '~/server/events/catalog';
import type { Runtime } from '~/server/runtime';
import { createWorkspace } from '../support/accounts';
import { unwrap, waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { callerAs, caughtUp, leadsStream, personIn, seedSongwriter, type Caller, type Person } from './support';

const kinds = (messages: unknown[]) => messages.map((m) => unwrap(m).kind);
const ids = (messages: unknown[]) => messages.map((m) => (m as [string])[0]);

/** A songwriter_score_changed, as the scoring code emits it. */
function scored(runtime: Runtime, workspaceId: string, songwriterId: string, score: number) {
  return emit(runtime, {
    type: 'songwriter_score_changed',
    workspaceId,
    keys: { songwriterId },
    data: { songwriterId, name: 'Someone', score, previous: null, publisherStatus: 'unpublished', trackCount: 1, totalStreams: 10, categories: [] },
  });
}

/** A songwriter_merged, as the identity code emits it: keyed by the survivor, naming the others. */
function merged(runtime: Runtime, workspaceId: string, intoId: string, otherIds: string[]) {
  return emit(runtime, {
    type: 'songwriter_merged',
    workspaceId,
    keys: { songwriterId: intoId },
    data: { operationId: crypto.randomUUID(), kind: 'merge', action: 'done', songwriterId: intoId, otherIds, summary: 'Merged.', by: null },
  });
}

function emit(runtime: Runtime, event: EventInput<'songwriter_score_changed'> | EventInput<'songwriter_merged'>) {
  return runtime.log.transaction(async (tx) => tx.emit(event));
}

describe.each(engines)('leads on %s', (engine) => {
  let runtime: TestRuntime;
  let scout: Person;
  let caller: Caller;
  let stops: (() => Promise<void>)[];

  beforeEach(async () => {
    runtime = await createTestRuntime({ engine });
    stops = [];
    scout = await personIn(runtime, runtime.workspaceId, 'member', 'Scout');
    caller = callerAs(runtime, scout);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => {});
    await runtime.dispose();
  });

  async function open(input: { songwriterId?: string; lastEventId?: string } = {}, person = scout) {
    const sub = await leadsStream(runtime, person, input);
    stops.push(() => sub.stop());
    return sub;
  }
  const writer = (name: string) => seedSongwriter(runtime, runtime.workspaceId, { name });

  test('fresh: a snapshot holding the position, then the four types as they commit, and nothing else', async () => {
    const ana = await writer('Ana');
    await caller.activity.note({ message: 'before' });
    const live = await open();
    const position = runtime.log.idOf(await runtime.log.positionFor(runtime.workspaceId));
    expect(kinds(live.messages)).toEqual(['snapshot']);
    expect(unwrap(live.messages[0]).snapshot).toEqual({ position });
    expect(ids(live.messages)).toEqual([position]);

    await caller.contacts.create({ songwriterId: ana });
    await caller.tags.create({ name: 'not a lead event', color: 'red' });
    await caller.contacts.note({ songwriterId: ana, body: 'hello' });
    await scored(runtime, runtime.workspaceId, ana, 6.5);
    await caller.activity.note({ message: 'not a lead event either' });
    await merged(runtime, runtime.workspaceId, ana, [crypto.randomUUID()]);
    await caughtUp(runtime, live);
    expect(live.events.map((e) => e.type)).toEqual(['contact_changed', 'contact_noted', 'songwriter_score_changed', 'songwriter_merged']);
    expect(live.events.every((e) => e.keys.songwriterId === ana && e.workspaceId === runtime.workspaceId)).toBe(true);
    expect(new Set(live.events.map((e) => e.type))).toEqual(new Set(leadsTypes));
  });

  test('songwriterId: that songwriter\'s events, and merges or splits that name them among the others', async () => {
    const [ana, ben, cy] = [await writer('Ana'), await writer('Ben'), await writer('Cy')];
    const anaOnly = await open({ songwriterId: ana });
    const all = await open();

    await caller.contacts.create({ songwriterId: ben });
    await caller.contacts.create({ songwriterId: ana });
    await caller.contacts.note({ songwriterId: ben, body: 'not about Ana' });
    await caller.contacts.move({ songwriterId: ana, stage: 'contacted' });
    await scored(runtime, runtime.workspaceId, ben, 3);
    await scored(runtime, runtime.workspaceId, ana, 4);
    await merged(runtime, runtime.workspaceId, cy, [ben]); // not Ana
    await merged(runtime, runtime.workspaceId, ben, [ana, cy]); // Ana merged into Ben
    await caller.contacts.note({ songwriterId: ana, body: 'about Ana' });
    await caughtUp(runtime, all);
    await waitFor(() => anaOnly.events.some((e) => e.type === 'contact_noted'), { what: 'Ana\'s note' });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(anaOnly.events.map((e) => [e.type, e.keys.songwriterId])).toEqual([
      ['contact_changed', ana],
      ['contact_changed', ana],
      ['songwriter_score_changed', ana],
      ['songwriter_merged', ben],
      ['contact_noted', ana],
    ]);
    expect(all.events).toHaveLength(9);
  });

  test('resumed from an id: exactly what was missed, in order, without a snapshot; a filtered stream resumes too', async () => {
    const [ana, ben] = [await writer('Ana'), await writer('Ben')];
    const first = await open();
    const anaFirst = await open({ songwriterId: ana });
    await caller.contacts.create({ songwriterId: ana });
    await caughtUp(runtime, first);
    await waitFor(() => anaFirst.events.length === 1, { what: 'Ana\'s first event' });
    const lastSeen = ids(first.messages).at(-1)!;
    const anaLastSeen = ids(anaFirst.messages).at(-1)!;
    await first.stop();
    await anaFirst.stop();

    // Missed while away: contact events, a note, a score, and events of other types in between.
    await caller.contacts.create({ songwriterId: ben });
    await caller.contacts.note({ songwriterId: ana, body: 'missed' });
    await caller.tags.create({ name: 'between', color: 'sky' });
    await scored(runtime, runtime.workspaceId, ben, 2);
    await caller.contacts.move({ songwriterId: ana, stage: 'researching' });

    const resumed = await open({ lastEventId: lastSeen });
    const anaResumed = await open({ songwriterId: ana, lastEventId: anaLastSeen });
    await caughtUp(runtime, resumed);
    await caller.contacts.remove({ songwriterId: ben }); // and live after the replay
    await caughtUp(runtime, resumed);
    await waitFor(() => anaResumed.events.length === 2, { what: 'Ana\'s missed events' });

    expect(kinds(resumed.messages)).not.toContain('snapshot');
    expect(resumed.events.map((e) => [e.type, e.keys.songwriterId])).toEqual([
      ['contact_changed', ben],
      ['contact_noted', ana],
      ['songwriter_score_changed', ben],
      ['contact_changed', ana],
      ['contact_changed', ben],
    ]);
    const seqs = resumed.events.map((e) => Number(e.id.split(':')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(kinds(anaResumed.messages)).not.toContain('snapshot');
    expect(anaResumed.events.map((e) => e.type)).toEqual(['contact_noted', 'contact_changed']);

    // From a snapshot's position: what came after it, nothing before.
    const fresh = await open();
    const { position } = unwrap(fresh.messages[0]).snapshot as { position: string };
    await caller.contacts.note({ songwriterId: ana, body: 'after the snapshot' });
    const fromSnapshot = await open({ lastEventId: position });
    await caughtUp(runtime, fromSnapshot);
    expect(fromSnapshot.events.map((e) => (e.data as { body?: string }).body)).toEqual(['after the snapshot']);
  });

  test('an id of another epoch, one never sent, one trimmed away or one of another workspace: a typed resync, then a snapshot', async () => {
    const ana = await writer('Ana');
    await caller.contacts.create({ songwriterId: ana });
    const head = await runtime.log.head();
    // An event of another workspace, so an id names it.
    const other = await createWorkspace(runtime, 'Other label');
    const theirs = await seedSongwriter(runtime, other, { name: 'Theirs' });
    await scored(runtime, other, theirs, 5);
    const otherId = runtime.log.idOf(await runtime.log.positionFor(other));

    const cases = [
      { lastEventId: `otherEpoch:${head}`, reason: 'other_epoch' },
      { lastEventId: runtime.log.idOf(head + 1000), reason: 'unknown_id' },
      { lastEventId: otherId, reason: 'other_workspace' },
    ];
    for (const { lastEventId, reason } of cases) {
      const sub = await open({ lastEventId });
      await waitFor(() => sub.messages.length >= 2, { what: `the resync for ${reason}` });
      expect(kinds(sub.messages).slice(0, 2)).toEqual(['resync', 'snapshot']);
      expect(unwrap(sub.messages[0])).toMatchObject({ kind: 'resync', reason, message: expect.any(String) });
      const position = runtime.log.idOf(await runtime.log.positionFor(runtime.workspaceId));
      expect(unwrap(sub.messages[1]).snapshot).toEqual({ position });
      expect(JSON.stringify(sub.messages)).not.toContain(theirs);
    }

    const old = runtime.log.idOf(head);
    await caller.contacts.note({ songwriterId: ana, body: 'trimmed soon' });
    await runtime.log.trim(new Date(Date.now() + 60_000)); // everything so far
    const expired = await open({ lastEventId: old });
    await waitFor(() => expired.messages.length >= 2, { what: 'the resync for expired' });
    expect(kinds(expired.messages).slice(0, 2)).toEqual(['resync', 'snapshot']);
    expect(unwrap(expired.messages[0])).toMatchObject({ kind: 'resync', reason: 'expired' });
    // After the resync, live events flow again.
    await caller.contacts.note({ songwriterId: ana, body: 'after the trim' });
    await waitFor(() => expired.events.some((e) => (e.data as { body?: string }).body === 'after the trim'), { what: 'a live event after the resync' });
  });

  test('another workspace\'s leads never arrive, even to a subscriber asking for its songwriter', async () => {
    const ana = await writer('Ana');
    const elsewhere = await createWorkspace(runtime, 'Elsewhere');
    const theirs = await seedSongwriter(runtime, elsewhere, { name: 'Theirs' });
    const stranger = await personIn(runtime, elsewhere, 'owner', 'Stranger');
    const mine = await open();
    const askingForTheirs = await open({ songwriterId: theirs });

    await callerAs(runtime, stranger).contacts.create({ songwriterId: theirs });
    await callerAs(runtime, stranger).contacts.note({ songwriterId: theirs, body: 'secret' });
    await scored(runtime, elsewhere, theirs, 9);
    await merged(runtime, elsewhere, theirs, [ana]); // even naming one of ours
    await caller.contacts.create({ songwriterId: ana });
    await caughtUp(runtime, mine);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mine.events.map((e) => [e.type, e.keys.songwriterId])).toEqual([['contact_changed', ana]]);
    expect(askingForTheirs.events).toEqual([]);
    expect(JSON.stringify([mine.messages, askingForTheirs.messages])).not.toMatch(/secret|Theirs/);
  });

  test('bad input is a BAD_REQUEST; unsubscribing leaves no listener', async () => {
    for (const input of [{ songwriterId: 'not an id' }, { lastEventId: 'nope' }, { songwriterId: 'x', bogus: 1 }, { songwriterId: 7 }]) {
      const error = await caller.leads(input as never).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input)).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
    }
    const subs = [await open(), await open({ songwriterId: 'someone' })];
    expect(runtime.hub.size()).toBe(2);
    for (const sub of subs) await sub.stop();
    expect(runtime.hub.size()).toBe(0);
    expect(runtime.bus.listenerCount()).toBe(0);
  });
});
