/**
 * Fan-out cost: with our handler an event is turned into JSON once however many subscribers get
 * it; the stock handler, as the check that the count can fail, stringifies per subscriber.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { flowStats } from '~/server/events/flow-control';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startHarness, type HandlerKind } from './harness';

const SUBSCRIBERS = 20;
const EVENTS = 5;

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(() => runtime?.dispose());

async function deliverToMany(kind: HandlerKind) {
  const harness = await startHarness(kind, runtime);
  const received: number[] = Array.from({ length: SUBSCRIBERS }, () => 0);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    // One client (socket) per subscriber, as separate browser tabs would be.
    harness.client().jobStatus.subscribe({}, {
      onData: ({ data }) => {
        if (data.kind === 'event') received[i]! += 1;
        if (data.kind === 'batch') received[i]! += data.events.length;
      },
    });
  }
  await waitFor(() => runtime.hub.size() === SUBSCRIBERS, { what: 'every subscription' });
  // A subscriber still replaying from the outbox reads its own copies of new events (and encodes
  // those): one event through everybody first, so every subscription is live when we count.
  const emit = (jobIds: string[]) =>
    runtime.log.transaction(async (tx) => {
      for (const jobId of jobIds) {
        tx.emit({ type: 'job_status_changed', workspaceId: runtime.workspaceId, keys: { jobId }, data: { jobId, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null } });
      }
    });
  await emit([`${kind}-warm-up`]);
  await waitFor(() => received.every((count) => count === 1), { what: 'the warm-up event at every subscriber' });
  received.fill(0);
  const serializedBefore = flowStats.serialized;
  const stringify = vi.spyOn(JSON, 'stringify');
  try {
    await emit(Array.from({ length: EVENTS }, (_, n) => `${kind}-${n}`));
    await waitFor(() => received.every((count) => count === EVENTS), { what: `${EVENTS} events at every subscriber` });
    // Objects stringified while the events were written and fanned out (strings and ids excluded).
    const objectCalls = stringify.mock.calls.filter(([value]) => typeof value === 'object' && value !== null).length;
    return { objectCalls, serialized: flowStats.serialized - serializedBefore };
  } finally {
    stringify.mockRestore();
    await harness.close();
    await waitFor(() => runtime.hub.size() === 0, { what: 'the subscriptions to end' });
  }
}

describe('serialization per event', () => {
  test('ours: once per event, not once per subscriber', async () => {
    const { objectCalls, serialized } = await deliverToMany('linernotes');
    expect(serialized).toBe(EVENTS);
    // The outbox insert stringifies each event's keys and data (jsonb): that, plus the one encoding.
    expect(objectCalls).toBeLessThanOrEqual(EVENTS * 3);
  });

  test('stock tRPC handler: once per subscriber message (the count above would catch a regression)', async () => {
    const { objectCalls } = await deliverToMany('trpc');
    // The five events of one transaction reach each subscriber as one batch: one stringify each.
    expect(objectCalls).toBeGreaterThanOrEqual(SUBSCRIBERS);
  });
});
