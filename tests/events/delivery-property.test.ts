/**
 * The one delivery path (src/server/events/delivery.ts) under random interleavings: commits of
 * durable and volatile events (and of another workspace's), subscribes (fresh, or resuming from a
 * random earlier id, or from an id of another epoch), tiny queue bounds that overflow, sinks that
 * stall, consumers that disconnect. Each subscriber is one of the two kinds of sink: the async
 * iterator that createCaller and tRPC's stock handlers consume (through `eventStream`), or a fake
 * socket sink that `deliverTo` writes to directly, as our WebSocket and SSE transports' sinks are.
 *
 * For every subscriber, whatever happened:
 * - the durable events it received are exactly the workspace's matching events committed after its
 *   starting point (its resume id, or the position its snapshot is tracked by), in order, with no
 *   gap and no duplicate; a subscription that ended early received a prefix of them, and if it
 *   ended by a `slow_consumer` resync, that resync names a place to resume from: at or after the
 *   last durable event it received, with nothing it is owed in between;
 * - a volatile event never arrives before a durable event committed before it was published, and
 *   is tracked by such a place too (the last durable position, which a filter may have moved past
 *   events it skips).
 *
 * The outbox and the bus are in memory (real hub, real queues, real flow control), so a run takes
 * milliseconds. Deterministic by default: `DELIVERY_SEED=<n>` runs another seed (printed on failure),
 * `DELIVERY_RUNS=<n>` more runs.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { MemoryBus } from '~/server/events/bus-memory';
import type { Envelope, EventType } from '~/server/events/catalog';
import type { DeliverySink, ReplaySource, SinkRoom, StreamMessage } from '~/server/events/delivery';
import { formatEventId, type EventPosition } from '~/server/events/event-id';
import type { EventLog, ResyncReason } from '~/server/events/event-log';
import { defaultFlowControl, type FlowControl } from '~/server/events/flow-control';
import { SubscriberHub } from '~/server/events/hub';
import { eventStream } from '~/server/events/stream';

const SEED = process.env.DELIVERY_SEED ? Number(process.env.DELIVERY_SEED) : 20_261_201;
const RUNS = process.env.DELIVERY_RUNS ? Number(process.env.DELIVERY_RUNS) : 150;

const EPOCH = 'prop';
const WORKSPACE = 'w1';
const TYPES = ['job_status_changed', 'follower_count_changed'] as const satisfies readonly EventType[];

/** The outbox in memory: what the delivery reads to resume (EventLog's contract, minus the database). */
class MemoryOutbox implements ReplaySource {
  readonly events: Envelope[] = [];
  /** Global order of every publish (durable and volatile), to check volatile-after-durable. */
  readonly orderOf = new Map<string, number>();
  private published = 0;
  private volatiles = 0;

  constructor(private readonly bus: MemoryBus) {}

  get head(): number {
    return this.events.length;
  }

  commit(workspaceId: string, jobIds: number[]): void {
    const envelopes = jobIds.map((n) => {
      const jobId = `j${n}`;
      const envelope = {
        id: formatEventId(EPOCH, this.events.length + 1),
        type: 'job_status_changed',
        at: new Date(0).toISOString(),
        workspaceId,
        keys: { jobId },
        data: { jobId, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null },
      } as Envelope;
      this.events.push(envelope);
      this.orderOf.set(envelope.id, ++this.published);
      return envelope;
    });
    this.bus.publishCommitted(envelopes);
  }

  publishVolatile(workspaceId: string, playlist: number, followers: number): void {
    const playlistId = `p${playlist}`;
    const envelope = {
      id: `${EPOCH}:v${++this.volatiles}`,
      type: 'follower_count_changed',
      at: new Date(0).toISOString(),
      workspaceId,
      keys: { playlistId },
      data: { playlistId, previous: null, followers },
    } as Envelope;
    this.orderOf.set(envelope.id, ++this.published);
    this.bus.publishVolatile(envelope);
  }

  // ReplaySource: asynchronous like the database, so commits interleave with a subscriber's replay.
  async resumeProblem(workspaceId: string, position: EventPosition): Promise<ResyncReason | null> {
    await turn();
    if (position.epoch !== EPOCH) return 'other_epoch';
    if (position.seq > this.head) return 'unknown_id';
    const event = this.events[position.seq - 1];
    if (event && event.workspaceId !== workspaceId) return 'other_workspace';
    return null;
  }

  async positionFor(workspaceId: string): Promise<number> {
    await turn();
    for (let seq = this.head; seq > 0; seq--) if (this.events[seq - 1]!.workspaceId === workspaceId) return seq;
    return 0;
  }

  async readAfter(workspaceId: string, afterSeq: number, types: readonly EventType[], limit: number): Promise<Envelope[]> {
    await turn();
    // Fresh objects, as rows read from a database are.
    return this.events
      .slice(afterSeq)
      .filter((event) => event.workspaceId === workspaceId && types.includes(event.type))
      .slice(0, limit)
      .map((event) => structuredClone(event));
  }

  async floor(): Promise<number> {
    return 0;
  }

  idOf(seq: number): string {
    return formatEventId(EPOCH, seq);
  }
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Received = { trackedId: string; message: StreamMessage<EventType, unknown> };

/** A socket as our transports' sinks see one: it writes what it is given, unless it is stalled. */
class FakeSocketSink implements DeliverySink {
  readonly received: Received[] = [];
  stalled = false;
  closed: { error: unknown } | null = null;
  private pending: Received[] = [];

  room(): SinkRoom {
    return this.stalled ? 'poll' : 'room';
  }
  event(trackedId: string, event: Envelope): void {
    this.pending.push({ trackedId, message: { kind: 'event', event } });
  }
  batch(events: readonly Envelope[]): void {
    this.pending.push({ trackedId: events.at(-1)!.id, message: { kind: 'batch', events: [...events] } });
  }
  message(trackedId: string, message: StreamMessage<EventType, unknown>): void {
    this.pending.push({ trackedId, message });
  }
  flush(): void {
    this.received.push(...this.pending);
    this.pending = [];
  }
  close(error: unknown): void {
    this.flush();
    this.closed = { error };
  }
}

interface Subscription {
  kind: 'iterator' | 'socket';
  /** The seq the subscriber asked to resume from (null: fresh; NaN: an id of another epoch). */
  resumeFrom: number | null;
  matches: (event: Envelope) => boolean;
  received: Received[];
  abort: AbortController;
  /** Socket sinks stall; iterator consumers stop pulling. */
  setStalled(stalled: boolean): void;
  finished(): boolean;
}

const matchers: Record<string, (event: Envelope) => boolean> = {
  all: () => true,
  odd: (event) => event.type !== 'job_status_changed' || Number(event.keys.jobId!.slice(1)) % 2 === 1,
};

function subscribe(outbox: MemoryOutbox, hub: SubscriberHub, flow: FlowControl, kind: Subscription['kind'], resumeFrom: number | null, filter: string): Subscription {
  const abort = new AbortController();
  const matches = matchers[filter]!;
  const lastEventId = resumeFrom === null ? null : Number.isNaN(resumeFrom) ? 'elsewhere:1' : outbox.idOf(resumeFrom);
  const stream = eventStream({
    log: outbox as unknown as EventLog,
    hub,
    flow,
    workspaceId: WORKSPACE,
    types: TYPES,
    matches,
    snapshot: async () => ({ at: outbox.head }),
    lastEventId,
    signal: abort.signal,
  });
  if (kind === 'socket') {
    const sink = new FakeSocketSink();
    stream.deliverTo(sink);
    return { kind, resumeFrom, matches, received: sink.received, abort, setStalled: (s) => (sink.stalled = s), finished: () => sink.closed !== null };
  }
  // The iterator's consumer: pulls while not paused, as a stock handler writing a socket would.
  const received: Received[] = [];
  let paused = false;
  let wake: (() => void) | null = null;
  let done = false;
  void (async () => {
    try {
      for await (const value of stream) {
        const [trackedId, message] = value as unknown as [string, StreamMessage<EventType, unknown>];
        received.push({ trackedId, message });
        while (paused) await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      done = true;
    }
  })();
  return {
    kind,
    resumeFrom,
    matches,
    received,
    abort,
    setStalled: (stalled) => {
      paused = stalled;
      if (!stalled) wake?.();
    },
    finished: () => done,
  };
}

const seqOf = (id: string) => Number(id.slice(id.lastIndexOf(':') + 1));

/** Checks one subscriber's messages against what the outbox committed. */
function check(sub: Subscription, outbox: MemoryOutbox, stoppedEarly: boolean): void {
  const messages = sub.received;
  let at = 0;
  let start: number;
  const first = messages[0]?.message;
  if (sub.resumeFrom !== null && !Number.isNaN(sub.resumeFrom)) {
    start = sub.resumeFrom;
  } else if (first === undefined) {
    expect(stoppedEarly, 'a subscriber that ran to the end got at least its snapshot').toBe(true);
    return;
  } else {
    if (Number.isNaN(sub.resumeFrom)) {
      expect(first).toMatchObject({ kind: 'resync', reason: 'other_epoch' });
      at++;
    }
    const snapshot = messages[at];
    if (!snapshot) return expect(stoppedEarly).toBe(true);
    expect(snapshot.message.kind).toBe('snapshot');
    start = seqOf(snapshot.trackedId);
    at++;
  }
  const expected = outbox.events.slice(start).filter((event) => event.workspaceId === WORKSPACE && sub.matches(event));
  const durable: Envelope[] = [];
  let lastDurableSeq = start;
  let endedBy: string | null = null;
  // A tracked id a subscriber may resume from: at or after what it received, skipping nothing it is owed.
  const resumable = (trackedId: string, what: string) => {
    const seq = seqOf(trackedId);
    expect(seq, what).toBeGreaterThanOrEqual(lastDurableSeq);
    expect(expected.filter((event) => seqOf(event.id) > lastDurableSeq && seqOf(event.id) <= seq), what).toEqual([]);
  };
  for (const { trackedId, message } of messages.slice(at)) {
    expect(endedBy, 'nothing after a resync').toBeNull();
    if (message.kind === 'resync') {
      expect(message.reason).toBe('slow_consumer');
      resumable(trackedId, 'the resync names a place to resume from');
      endedBy = 'slow_consumer';
      continue;
    }
    expect(['event', 'batch']).toContain(message.kind);
    const events = message.kind === 'batch' ? message.events : [message.kind === 'event' ? message.event : (undefined as never)];
    if (message.kind === 'batch') expect(trackedId).toBe(events.at(-1)!.id);
    for (const event of events) {
      expect(event.workspaceId).toBe(WORKSPACE);
      if (event.type === 'job_status_changed') {
        expect(trackedId === event.id || message.kind === 'batch').toBe(true);
        durable.push(event);
        lastDurableSeq = seqOf(event.id);
      } else {
        resumable(trackedId, 'a volatile event is tracked by a place to resume from');
        // Every durable event this subscriber is owed that was committed before it: received already.
        const order = outbox.orderOf.get(event.id)!;
        const owedBefore = expected.filter((d) => outbox.orderOf.get(d.id)! < order).map((d) => d.id);
        expect(durable.map((d) => d.id).slice(0, owedBefore.length), 'no volatile event before an earlier durable one').toEqual(owedBefore);
      }
    }
  }
  const ids = durable.map((event) => event.id);
  const owed = expected.map((event) => event.id);
  if (endedBy || stoppedEarly) expect(ids).toEqual(owed.slice(0, ids.length));
  else expect(ids).toEqual(owed);
}

type Op =
  | { op: 'commit'; workspace: 0 | 1; jobs: number[] }
  | { op: 'volatile'; playlist: number; followers: number }
  | { op: 'subscribe'; kind: Subscription['kind']; resume: 'fresh' | 'epoch' | number; filter: string; tiny: boolean; maxBatch: number }
  | { op: 'stall' | 'unstall' | 'disconnect'; which: number }
  | { op: 'wait'; turns: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('commit' as const), workspace: fc.constantFrom(0 as const, 0 as const, 1 as const), jobs: fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('volatile' as const), playlist: fc.nat(2), followers: fc.nat(1000) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('subscribe' as const),
      kind: fc.constantFrom('iterator' as const, 'socket' as const),
      resume: fc.oneof(fc.constant('fresh' as const), fc.constant('epoch' as const), fc.nat(1000)),
      filter: fc.constantFrom('all', 'odd'),
      tiny: fc.boolean(),
      maxBatch: fc.constantFrom(1, 3, 100),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('stall' as const, 'unstall' as const, 'disconnect' as const), which: fc.nat(20) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), turns: fc.integer({ min: 1, max: 4 }) }) },
);

async function run(ops: Op[]): Promise<void> {
  const bus = new MemoryBus();
  const hub = new SubscriberHub(bus);
  const outbox = new MemoryOutbox(bus);
  const subs: Array<{ sub: Subscription; stoppedEarly: boolean }> = [];
  let followers = 0;
  for (const step of ops) {
    if (step.op === 'commit') outbox.commit(step.workspace === 0 ? WORKSPACE : 'w2', step.jobs);
    else if (step.op === 'volatile') outbox.publishVolatile(WORKSPACE, step.playlist, (followers += step.followers));
    else if (step.op === 'subscribe') {
      // A resume point among the ids this workspace was really sent: 0 (nothing yet) or one of its events.
      const own = [0, ...outbox.events.filter((event) => event.workspaceId === WORKSPACE).map((event) => seqOf(event.id))];
      const resumeFrom = step.resume === 'fresh' ? null : step.resume === 'epoch' ? NaN : own[step.resume % own.length]!;
      const flow: FlowControl = { ...defaultFlowControl, volatileIntervalMs: 0, maxBatch: step.maxBatch, ...(step.tiny ? { maxQueuedDurable: 3 } : {}) };
      subs.push({ sub: subscribe(outbox, hub, flow, step.kind, resumeFrom, step.filter), stoppedEarly: false });
    } else if (step.op === 'wait') {
      for (let i = 0; i < step.turns; i++) await turn();
    } else if (subs.length > 0) {
      const entry = subs[step.which % subs.length]!;
      if (step.op === 'disconnect') {
        entry.stoppedEarly = true;
        entry.sub.abort.abort();
      } else entry.sub.setStalled(step.op === 'stall');
    }
  }
  // Let every subscriber catch up: unstall, then wait until each ended or stopped receiving.
  for (const { sub } of subs) sub.setStalled(false);
  let quiet = 0;
  let seen = -1;
  while (quiet < 3) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    const now = subs.reduce((sum, { sub }) => sum + sub.received.length, 0);
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
  }
  for (const { sub, stoppedEarly } of subs) check(sub, outbox, stoppedEarly);
  for (const { sub } of subs) sub.abort.abort();
  await turn();
  expect(hub.size(), 'every subscriber left the hub').toBe(0);
}

test('every subscriber gets exactly the committed durable sequence after its resume point, whatever the interleaving', { timeout: 240_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => run(ops)),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
});

test('control: a delivery that skipped one durable event would be caught', async () => {
  const bus = new MemoryBus();
  const hub = new SubscriberHub(bus);
  const outbox = new MemoryOutbox(bus);
  outbox.commit(WORKSPACE, [1, 2, 3]);
  const sub = subscribe(outbox, hub, defaultFlowControl, 'socket', 0, 'all');
  for (let i = 0; i < 5; i++) await turn();
  // Drop the middle event of what it received, as a gap would.
  const batch = sub.received.find((r) => r.message.kind === 'batch')!;
  if (batch.message.kind === 'batch') batch.message.events.splice(1, 1);
  expect(() => check(sub, outbox, false)).toThrow();
  sub.abort.abort();
});
