import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seqOf } from '~/server/events/event-log';
import { createWorkspace } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { unwrap, waitFor } from '../support/iterate';
import { jobEvent, note } from '../support/produce';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';


const kinds = (messages: unknown[]) => messages.map((m) => unwrap(m).kind);
const ids = (messages: unknown[]) => messages.map((m) => (m as [string])[0]);

describe.each(engines)('subscriptions at procedure level on %s', (engine) => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await createTestRuntime({ engine });
  });
  afterEach(() => runtime.dispose());

  test('a subscriber gets a snapshot first, then the events of its filter only', async () => {
    await jobEvent(runtime, { jobId: 'before' });
    const mine = await subscribe(runtime, (c) => c.jobStatus({ jobId: 'job-a' }));
    const byPlaylist = await subscribe(runtime, (c) => c.jobStatus({ playlistId: 'pl-1' }));
    await waitFor(() => mine.messages.length === 1 && byPlaylist.messages.length === 1);
    expect(kinds(mine.messages)).toEqual(['snapshot']);

    await jobEvent(runtime, { jobId: 'job-b' });
    await jobEvent(runtime, { jobId: 'job-a', playlistId: 'pl-1', to: 'running' });
    await waitFor(() => mine.events.length === 1 && byPlaylist.events.length === 1);
    await note(runtime, 'not a job event');
    await jobEvent(runtime, { jobId: 'job-a', to: 'completed' });
    await waitFor(() => mine.events.length === 2);

    expect(mine.events.map((e) => [e.keys.jobId, e.type, (e.data as { to: string }).to])).toEqual([
      ['job-a', 'job_status_changed', 'running'],
      ['job-a', 'job_status_changed', 'completed'],
    ]);
    expect(byPlaylist.events.map((e) => e.keys.jobId)).toEqual(['job-a']);
    await mine.stop();
    await byPlaylist.stop();
  });

  test('events of another workspace never reach a subscriber', async () => {
    const other = { id: await createWorkspace(runtime, 'Other label') };
    const feed = await subscribe(runtime, (c) => c.activityFeed());
    await waitFor(() => feed.messages.length === 1);
    await note(runtime, 'theirs', other!.id);
    await note(runtime, 'ours');
    await waitFor(() => feed.events.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(feed.events.map((e) => (e.data as { message: string }).message)).toEqual(['ours']);
    await feed.stop();
  });

  test('the snapshot holds the current state, and the events after it are not lost', async () => {
    await note(runtime, 'one');
    await note(runtime, 'two');
    const feed = await subscribe(runtime, (c) => c.activityFeed());
    await waitFor(() => feed.messages.length >= 1);
    const snapshot = unwrap(feed.messages[0]).snapshot as { activity: { message: string }[] };
    expect(snapshot.activity.map((a) => a.message)).toEqual(['two', 'one']);
    await note(runtime, 'three');
    await waitFor(() => feed.events.length === 1);
    expect((feed.events[0]!.data as { message: string }).message).toBe('three');
    await feed.stop();
  });

  test('resuming from lastEventId replays exactly what was missed, with no snapshot', async () => {
    const first = await subscribe(runtime, (c) => c.activityFeed());
    await waitFor(() => first.messages.length === 1);
    for (const m of ['a', 'b']) await note(runtime, m);
    await waitFor(() => first.events.length === 2);
    const lastSeen = ids(first.messages).at(-1)!;
    await first.stop();

    for (const m of ['c', 'd', 'e']) await note(runtime, m);
    const resumed = await subscribe(runtime, (c) => c.activityFeed({ lastEventId: lastSeen }));
    await waitFor(() => resumed.events.length === 3);
    await note(runtime, 'f');
    await waitFor(() => resumed.events.length === 4);
    expect(kinds(resumed.messages)).not.toContain('snapshot');
    expect(resumed.events.map((e) => (e.data as { message: string }).message)).toEqual(['c', 'd', 'e', 'f']);
    await resumed.stop();
  });

  test('an event committed while the replay query runs arrives once, in order', async () => {
    const first = await subscribe(runtime, (c) => c.activityFeed());
    await waitFor(() => first.messages.length === 1);
    await note(runtime, 'seen');
    await waitFor(() => first.events.length === 1);
    const lastSeen = ids(first.messages).at(-1)!;
    await first.stop();
    await note(runtime, 'missed');

    // Commit another event in the middle of the replay: it lands in the outbox page (or not)
    // and in the live queue; either way it must be delivered exactly once.
    const original = runtime.log.readAfter.bind(runtime.log);
    let injected = false;
    runtime.log.readAfter = async (...args) => {
      if (!injected) {
        injected = true;
        await note(runtime, 'during replay');
      }
      return original(...args);
    };
    const resumed = await subscribe(runtime, (c) => c.activityFeed({ lastEventId: lastSeen }));
    await waitFor(() => resumed.events.length >= 2);
    await note(runtime, 'after');
    await waitFor(() => resumed.events.some((e) => (e.data as { message: string }).message === 'after'));
    expect(resumed.events.map((e) => (e.data as { message: string }).message)).toEqual(['missed', 'during replay', 'after']);
    const seqs = resumed.events.map(seqOf);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await resumed.stop();
  });

  test('an id from another epoch, an unknown id or an expired id gets a typed resync, then a snapshot', async () => {
    await note(runtime, 'x');
    const head = await runtime.log.head();
    const cases = [
      { lastEventId: `otherEpoch:${head}`, reason: 'other_epoch' },
      { lastEventId: `${runtime.log.epoch}:${head + 1000}`, reason: 'unknown_id' },
    ];
    for (const { lastEventId, reason } of cases) {
      const sub = await subscribe(runtime, (c) => c.activityFeed({ lastEventId }));
      await waitFor(() => sub.messages.length >= 2);
      expect(kinds(sub.messages).slice(0, 2)).toEqual(['resync', 'snapshot']);
      expect(unwrap(sub.messages[0]) as unknown).toMatchObject({ kind: 'resync', reason });
      await sub.stop();
    }

    const old = `${runtime.log.epoch}:${head}`;
    await note(runtime, 'y');
    await runtime.log.trim(new Date(Date.now() + 60_000)); // trims everything so far
    const expired = await subscribe(runtime, (c) => c.activityFeed({ lastEventId: old }));
    await waitFor(() => expired.messages.length >= 2);
    expect(unwrap(expired.messages[0]) as unknown).toMatchObject({ kind: 'resync', reason: 'expired' });
    await expired.stop();
  });

  test('unsubscribing leaves no listener behind', async () => {
    expect(runtime.bus.listenerCount()).toBe(0);
    const subs = await Promise.all([
      subscribe(runtime, (c) => c.jobStatus()),
      subscribe(runtime, (c) => c.trackStatus({ playlistId: 'p' })),
      subscribe(runtime, (c) => c.activityFeed()),
      subscribe(runtime, (c) => c.importProgress({ importId: 'i' })),
      subscribe(runtime, (c) => c.playlistUpdates()),
    ]);
    await waitFor(() => subs.every((s) => s.messages.length >= 1));
    expect(runtime.hub.size()).toBe(5);
    expect(runtime.bus.listenerCount()).toBe(1);
    await Promise.all(subs.map((s) => s.stop()));
    expect(runtime.hub.size()).toBe(0);
    expect(runtime.bus.listenerCount()).toBe(0);
  });

  test('volatile events conflate per key and the last value always arrives', async () => {
    const jobs = await subscribe(runtime, (c) => c.jobStatus({ jobId: 'j1' }));
    await waitFor(() => jobs.messages.length === 1);
    for (let done = 1; done <= 200; done++) {
      runtime.log.publish({ type: 'chartmetric_progress', workspaceId: runtime.workspaceId, keys: { jobId: 'j1' }, data: { jobId: 'j1', playlistId: null, done, total: 200 } });
    }
    await waitFor(() => jobs.events.some((e) => (e.data as { done: number }).done === 200));
    const seen = jobs.events.map((e) => (e.data as { done: number }).done);
    expect(seen.length).toBeLessThan(10);
    expect(seen.at(-1)).toBe(200);
    await jobs.stop();
  });

  test('bad input is a BAD_REQUEST with a readable message', async () => {
    const caller = callerFor(runtime);
    const attempts = [
      () => caller.jobStatus({ jobId: 'x', bogus: true } as never),
      () => caller.activityFeed({ lastEventId: 'not an id' }),
      () => caller.trackStatus({ trackIds: 'x' } as never),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
    }
  });
});
