/**
 * importProgress while a large import runs: each subscriber gets at most 10 progress messages in
 * any one-second window (counted, not timed) and always the final counts, however often the
 * importer publishes. The producer's own interval is off here, so the bound is the subscriber
 * queue's conflation.
 */
import { afterEach, expect, test } from 'vitest';
import type { Envelope } from '~/server/events/catalog';
import { flowStats } from '~/server/events/flow-control';
import { callerFor } from '../support/caller';
import { unwrap, waitFor, eventsOf } from '../support/iterate';
import type { TestRuntime } from '../support/runtime';
import { demoId, importRuntime } from './support';

let runtime: TestRuntime | undefined;
afterEach(() => runtime?.dispose());

/** Collects a subscription's events with the time each arrived. */
async function timedSubscriber(rt: TestRuntime, importId?: string) {
  const controller = new AbortController();
  const received: Array<{ at: number; event: Envelope }> = [];
  const iterable = await callerFor(rt, controller.signal).importProgress(importId ? { importId } : undefined);
  const done = (async () => {
    try {
      for await (const message of iterable) for (const event of eventsOf(unwrap(message))) received.push({ at: Date.now(), event });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { received, stop: () => (controller.abort(), done) };
}

test('at most 10 progress messages per second per subscriber, and the final counts always arrive', async () => {
  runtime = await importRuntime({ env: { IMPORT_PROGRESS_INTERVAL_MS: '0', IMPORT_COMMIT_EVERY_ROWS: '5', DEMO_LATENCY_MS: '5' } });
  // 1,050 rows: every 15th a new playlist (each commits before its add, so progress is published
  // well over 100 times), the rest duplicates of it or bad rows.
  const lines = ['url,name'];
  for (let row = 1; row <= 1050; row++) {
    const playlist = Math.ceil(row / 15);
    lines.push(row % 15 === 1 ? `${demoId(playlist)},new` : row % 3 === 0 ? `bad row ${row},x` : `spotify:playlist:${demoId(playlist)},again`);
  }
  const conflatedBefore = flowStats.conflated;
  const all = await timedSubscriber(runtime);
  const one = await timedSubscriber(runtime);
  await waitFor(() => runtime!.hub.size() >= 2, { what: 'both subscribers attached' });
  const { importId } = await callerFor(runtime).imports.start({ csv: lines.join('\n') });
  const filtered = await timedSubscriber(runtime, importId);

  for (const sub of [all, one, filtered]) {
    await waitFor(() => sub.received.some((r) => r.event.type === 'bulk_import_finished'), { timeoutMs: 120_000, what: 'the finish' });
    await waitFor(() => sub.received.some((r) => r.event.type === 'bulk_import_progress' && r.event.data.processed === 1050), {
      what: 'the final progress',
    });
  }
  const finished = all.received.find((r) => r.event.type === 'bulk_import_finished')!.event as Envelope<'bulk_import_finished'>;
  expect(finished.data).toMatchObject({ status: 'completed', total: 1050, processed: 1050, created: 70, failed: 350, duplicates: 630 });

  for (const sub of [all, one, filtered]) {
    const progress = sub.received.filter((r) => r.event.type === 'bulk_import_progress' && r.event.keys.importId === importId);
    const perWindow = new Map<number, number>();
    for (const { at } of progress) {
      const window = Math.floor((at - progress[0]!.at) / 1000);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
    // Counters only move forward, and the last message is the final count.
    const processed = progress.map((r) => (r.event as Envelope<'bulk_import_progress'>).data.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(processed.at(-1)).toBe(1050);
  }
  // The importer published more often than any subscriber received: the queues conflated.
  expect(flowStats.conflated).toBeGreaterThan(conflatedBefore);
  await Promise.all([all.stop(), one.stop(), filtered.stop()]);
});
