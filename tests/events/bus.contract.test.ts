/**
 * The EventBus contract (src/server/events/bus.ts), one suite for both implementations:
 * MemoryBus (PGlite runtime, one process) and PostgresBus (Postgres runtimes; a second runtime on
 * the same database stands for another process, with its own pool, LISTEN connection and bus).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { logActivity } from '~/server/activity/log-activity';
import { MemoryBus } from '~/server/events/bus-memory';
import { PostgresBus } from '~/server/events/bus-postgres';
import type { Envelope } from '~/server/events/catalog';
import { seqOf } from '~/server/events/event-log';
import { createRuntime, type Runtime } from '~/server/runtime';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The writer's runtime, and the runtime whose listeners must see its events ("another process" on Postgres). */
async function pair(engine: (typeof engines)[number]): Promise<{ writer: TestRuntime; reader: Runtime }> {
  const writer = await createTestRuntime({ engine });
  cleanup.push(() => writer.dispose());
  if (engine === 'pglite') return { writer, reader: writer };
  const reader = await createRuntime(writer.target);
  cleanup.push(() => reader.close());
  return { writer, reader };
}

function note(runtime: TestRuntime, message: string) {
  return runtime.log.transaction((tx) => logActivity(tx, { workspaceId: runtime.workspaceId, kind: 'note', message }));
}

describe.each(engines)('EventBus contract on %s', (engine) => {
  test('the implementation matches the engine', async () => {
    const { writer } = await pair(engine);
    expect(writer.bus).toBeInstanceOf(engine === 'postgres' ? PostgresBus : MemoryBus);
  });

  test('durable events reach listeners once each, in outbox order, and only after commit', async () => {
    const { writer, reader } = await pair(engine);
    const seen: Envelope[] = [];
    const detach = reader.bus.listen((events) => seen.push(...events));
    await expect(
      writer.log.transaction(async (tx) => {
        await logActivity(tx, { workspaceId: writer.workspaceId, kind: 'note', message: 'rolled back' });
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');
    // Concurrent writers: seq order is commit order, and every listener sees that order.
    await Promise.all(Array.from({ length: 20 }, (_, i) => note(writer, `n${i}`)));
    await note(writer, 'last');
    await waitFor(() => seen.some((e) => e.type === 'activity_logged' && e.data.message === 'last'), { what: 'last event' });
    const messages = seen.map((e) => (e.type === 'activity_logged' ? e.data.message : e.type));
    expect(messages).not.toContain('rolled back');
    expect(messages).toHaveLength(21);
    expect(new Set(messages).size).toBe(21);
    const seqs = seen.map(seqOf);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seen.map((e) => e.id)).toEqual((await reader.log.readAllAfter(0, 100)).map((e) => e.id));
    detach();
  });

  test('volatile events reach every listener at most once; detach stops delivery', async () => {
    const { writer, reader } = await pair(engine);
    const seen: Envelope[] = [];
    const detach = reader.bus.listen((events) => seen.push(...events));
    expect(reader.bus.listenerCount()).toBeGreaterThanOrEqual(1);
    const publish = (followers: number) =>
      writer.log.publish({ type: 'follower_count_changed', workspaceId: writer.workspaceId, keys: { playlistId: 'p1' }, data: { playlistId: 'p1', previous: null, followers } });
    publish(1);
    publish(2);
    await waitFor(() => seen.length >= 2, { what: 'volatile events' });
    await note(writer, 'barrier'); // durable, after the volatile ones: once it is seen, no echo is still in flight
    await waitFor(() => seen.some((e) => e.type === 'activity_logged'), { what: 'barrier' });
    expect(seen.filter((e) => e.type === 'follower_count_changed').map((e) => (e.type === 'follower_count_changed' ? e.data.followers : 0))).toEqual([1, 2]);
    detach();
    publish(3);
    await note(writer, 'after detach');
    const probe: Envelope[] = [];
    const detachProbe = reader.bus.listen((events) => probe.push(...events));
    await note(writer, 'probe');
    await waitFor(() => probe.some((e) => e.type === 'activity_logged'), { what: 'probe' });
    expect(seen.some((e) => e.type === 'follower_count_changed' && e.data.followers === 3)).toBe(false);
    detachProbe();
  });

  test('a burst of volatile events arrives whole and in publish order (on Postgres, batched into few NOTIFY statements)', async () => {
    const { writer, reader } = await pair(engine);
    const seen: number[] = [];
    const detach = reader.bus.listen((events) => {
      for (const e of events) if (e.type === 'follower_count_changed') seen.push(e.data.followers);
    });
    for (let i = 1; i <= 1_000; i++) {
      writer.log.publish({ type: 'follower_count_changed', workspaceId: writer.workspaceId, keys: { playlistId: `p${i % 7}` }, data: { playlistId: `p${i % 7}`, previous: null, followers: i } });
    }
    await waitFor(() => seen.length >= 1_000, { what: '1,000 volatile events' });
    expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    detach();
  });

  test('a process that starts later delivers only what commits after it started', async () => {
    const { writer } = await pair(engine);
    await note(writer, 'before');
    const later = engine === 'postgres' ? await createRuntime(writer.target) : writer;
    if (later !== writer) cleanup.push(() => later.close());
    const seen: Envelope[] = [];
    later.bus.listen((events) => seen.push(...events));
    await note(writer, 'after');
    await waitFor(() => seen.length > 0, { what: 'event' });
    expect(seen.map((e) => (e.type === 'activity_logged' ? e.data.message : e.type))).toEqual(['after']);
  });
});
