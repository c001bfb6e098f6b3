import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { createRuntime } from '~/server/runtime';
import { rows } from '~/server/db/database';
import { activity } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { parseEventId } from '~/server/events/event-id';
import { waitFor } from '../support/iterate';
import { note } from '../support/produce';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';

describe.each(engines)('the outbox on %s', (engine) => {
  let runtime: TestRuntime;
  afterEach(() => runtime?.dispose());

  test('an event is stored with its state change and published only after commit', async () => {
    runtime = await createTestRuntime({ engine });
    const seen: Envelope[] = [];
    const commitObserved: boolean[] = [];
    runtime.bus.listen((events) => {
      seen.push(...events);
      commitObserved.push(true);
    });
    await runtime.log.transaction(async (tx) => {
      await tx.db.insert(activity).values({ workspaceId: runtime.workspaceId, kind: 'note', message: 'inside' });
      tx.emit({ type: 'activity_logged', workspaceId: runtime.workspaceId, keys: {}, data: { activityId: 'a', kind: 'note', message: 'inside', createdAt: new Date().toISOString() } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toHaveLength(0); // not before commit
    });
    // The in-process bus publishes as the commit returns; the Postgres bus reads the outbox.
    await waitFor(() => seen.length === 1, { what: 'the published event' });
    const id = parseEventId(seen[0]!.id)!;
    expect(id.epoch).toBe(runtime.log.epoch);
    const replayed = await runtime.log.readAfter(runtime.workspaceId, id.seq - 1, ['activity_logged'], 10);
    expect(replayed.map((e) => e.id)).toEqual([seen[0]!.id]);
  });

  test('a rolled-back transaction publishes nothing and stores nothing', async () => {
    runtime = await createTestRuntime({ engine });
    const seen: Envelope[] = [];
    runtime.bus.listen((events) => seen.push(...events));
    const headBefore = await runtime.log.head();
    await expect(
      runtime.log.transaction(async (tx) => {
        await tx.db.insert(activity).values({ workspaceId: runtime.workspaceId, kind: 'note', message: 'doomed' });
        tx.emit({ type: 'activity_logged', workspaceId: runtime.workspaceId, keys: {}, data: { activityId: 'a', kind: 'note', message: 'doomed', createdAt: new Date().toISOString() } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toHaveLength(0);
    expect(await runtime.log.head()).toBe(headBefore);
    const [count] = await rows<{ n: number }>(runtime.db, sql`select count(*)::int as n from activity where message = 'doomed'`);
    expect(count!.n).toBe(0);
  });

  test('concurrent writers publish in seq order, and seq order is commit order', async () => {
    runtime = await createTestRuntime({ engine });
    const seqs: number[] = [];
    runtime.bus.listen((events) => seqs.push(...events.map((e) => parseEventId(e.id)!.seq)));
    await Promise.all(Array.from({ length: 60 }, (_, i) => note(runtime, `n${i}`)));
    await waitFor(() => seqs.length >= 60, { what: '60 published events' });
    expect(seqs).toHaveLength(60);
    expect(new Set(seqs).size).toBe(60);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const stored = await runtime.log.readAfter(runtime.workspaceId, 0, ['activity_logged'], 100);
    expect(stored.map((e) => parseEventId(e.id)!.seq)).toEqual([...seqs].sort((a, b) => a - b));
  });

  test('the epoch and the outbox survive reopening the same database', async () => {
    runtime = await createTestRuntime({ engine });
    await note(runtime, 'kept');
    const epoch = runtime.log.epoch;
    const head = await runtime.log.head();
    await runtime.close();
    const reopened = await createRuntime(runtime.target);
    try {
      expect(reopened.log.epoch).toBe(epoch);
      expect(await reopened.log.head()).toBe(head);
      const replay = await reopened.log.readAfter(runtime.workspaceId, 0, ['activity_logged'], 10);
      expect(replay.map((e) => (e.data as { message: string }).message)).toEqual(['kept']);
    } finally {
      await reopened.close();
    }
    // dispose() closes again (a no-op) and removes the database.
  });
});
