/**
 * Races that reading the code turned up, each forced here on purpose: a trim between a resume's
 * check and its replay, overlapping analytics refreshes, a bus listener that throws after commit,
 * and a Postgres bus whose LISTEN fails.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { latestAnalytics } from '~/server/analytics/queries';
import { refreshAnalytics } from '~/server/analytics/refresh-analytics';
import { PostgresBus } from '~/server/events/bus-postgres';
import type { Envelope } from '~/server/events/catalog';
import * as computeModule from '~/server/analytics/compute-analytics';
import { subscribe } from '../support/caller';
import { unwrap, waitFor } from '../support/iterate';
import { note } from '../support/produce';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

vi.mock('~/server/analytics/compute-analytics', async (importOriginal) => {
  const actual = await importOriginal<typeof computeModule>();
  return { ...actual, computeAnalytics: vi.fn(actual.computeAnalytics) };
});

let runtime: TestRuntime;
beforeEach(async () => {
  runtime = await createTestRuntime();
});
afterEach(() => runtime.dispose());

test('an outbox trim that commits between the resume check and the replay read is a resync, never a silent gap', async () => {
  for (const message of ['one', 'two', 'three']) await note(runtime, message);
  const resumeFrom = runtime.log.idOf((await runtime.log.head()) - 2); // after "one"
  // The trim lands exactly between resumeProblem (which passed) and the first replay read.
  const readAfter = runtime.log.readAfter.bind(runtime.log);
  let trimmed = false;
  runtime.log.readAfter = async (...args) => {
    if (!trimmed) {
      trimmed = true;
      await runtime.log.trim(new Date(Date.now() + 60_000));
    }
    return readAfter(...args);
  };
  const feed = await subscribe(runtime, (c) => c.activityFeed({ lastEventId: resumeFrom }));
  await waitFor(() => feed.messages.length >= 2, { what: 'a resync and a snapshot' });
  const [first, second] = feed.messages.map(unwrap);
  expect(first).toMatchObject({ kind: 'resync', reason: 'expired' });
  expect(second!.kind).toBe('snapshot');
  await feed.stop();
});

test('of two overlapping analytics refreshes, the later read wins in the cache and in what subscribers see', async () => {
  const compute = vi.mocked(computeModule.computeAnalytics);
  const actual = compute.getMockImplementation()!;
  let releaseFirst!: () => void;
  const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
  // The first refresh reads (an empty workspace) and is held; the second reads later and finishes first.
  compute.mockImplementationOnce(async (db, workspaceId) => {
    const stale = await actual(db, workspaceId);
    await firstGate;
    return stale;
  });
  const seen: Envelope[] = [];
  const detach = runtime.bus.listen((events) => seen.push(...events.filter((e) => e.type === 'analytics_updated')));
  const first = refreshAnalytics(runtime, runtime.workspaceId);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await note(runtime, 'activity the second refresh counts');
  const second = await refreshAnalytics(runtime, runtime.workspaceId);
  releaseFirst();
  await first;
  detach();
  const cached = await latestAnalytics(runtime.db, runtime.workspaceId);
  expect(cached!.data).toEqual(second);
  // Only the newer value was published: nothing older arrives after it.
  expect(seen).toHaveLength(1);
  expect((seen[0]!.data as { analytics: unknown }).analytics).toEqual(second);
});

test('a bus listener that throws after commit neither fails the committed transaction nor starves the other listeners', async () => {
  const received: string[] = [];
  const detachBad = runtime.bus.listen(() => {
    throw new Error('a broken listener');
  });
  const detachGood = runtime.bus.listen((events) => received.push(...events.map((e) => e.type)));
  await expect(note(runtime, 'committed')).resolves.toMatchObject({ message: 'committed' });
  await expect(note(runtime, 'and the next one')).resolves.toMatchObject({ message: 'and the next one' });
  expect(received).toEqual(['activity_logged', 'activity_logged']);
  detachBad();
  detachGood();
});

test('the Postgres bus gives its connection back when LISTEN fails, and only once', async () => {
  const client = Object.assign(new EventEmitter(), {
    query: vi.fn(async (text: string) => {
      if (text.startsWith('LISTEN')) throw new Error('permission denied for LISTEN');
      return { rows: [] };
    }),
    release: vi.fn(),
  });
  // node-postgres' pool keeps an error listener of its own on a checked-out client.
  client.on('error', () => {});
  const pool = { connect: async () => client } as unknown as pg.Pool;
  const bus = new PostgresBus(pool, { reconnectMs: 10 });
  await expect(bus.start(async () => [], 0)).rejects.toThrow('permission denied');
  expect(client.release).toHaveBeenCalledTimes(1);
  // A later error on that (released) connection does not release it again.
  client.emit('error', new Error('connection reset'));
  expect(client.release).toHaveBeenCalledTimes(1);
  await bus.close();
});
