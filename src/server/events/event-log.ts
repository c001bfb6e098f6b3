/**
 * The outbox: durable events are written in the same transaction as the change they describe,
 * and handed to the bus only after that transaction commits (a rollback publishes nothing).
 */
import { and, asc, eq, gt, inArray, lte, max, sql } from 'drizzle-orm';
import { rows, type Database, type Transaction } from '../db/database';
import { events, meta } from '../db/schema';
import type { EventBus } from './bus';
import {
  isDurable,
  parseEventInput,
  type DurableType,
  type Envelope,
  type EventInput,
  type EventKeys,
  type EventType,
  type VolatileType,
} from './catalog';
import { formatEventId, type EventPosition } from './event-id';
import { log } from '../log';

// Outbox writers serialize on this advisory lock from insert to commit, so seq order is commit
// order: a reader that has seen seq N has seen every committed event below N.
const OUTBOX_LOCK = 727_002;

export type Emit = (event: EventInput<DurableType>) => void;

/** A unit of work: the open transaction, and where its durable events go. */
export interface Tx {
  db: Transaction;
  emit: Emit;
}

export type ResyncReason = 'other_epoch' | 'unknown_id' | 'other_workspace' | 'expired' | 'slow_consumer';

interface PublishSlot {
  envelopes: Envelope[];
  committed: boolean;
  settled: boolean;
}

export class EventLog {
  private lastSeq = 0;
  /** Volatile envelopes are numbered apart from the outbox (see publish). */
  private volatileCount = 0;
  private readonly slots: PublishSlot[] = [];

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    readonly epoch: string,
  ) {}

  async init(): Promise<void> {
    this.lastSeq = await this.head();
  }

  /** Runs `work` in one transaction; the events it emits are stored with it and published after commit. */
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let slot: PublishSlot | null = null;
    try {
      const result = await this.db.transaction(async (db) => {
        const pending: EventInput<DurableType>[] = [];
        const value = await work({ db, emit: (event) => pending.push(parseEventInput(event)) });
        if (pending.length > 0) slot = await this.append(db, pending);
        return value;
      });
      if (slot) (slot as PublishSlot).committed = true;
      return result;
    } finally {
      if (slot) {
        (slot as PublishSlot).settled = true;
        this.publishSettled();
      }
    }
  }

  /**
   * Publishes settled transactions in seq order. Slots are queued while the outbox lock is held,
   * so queue order is seq order; a transaction that commits first but holds a higher seq waits
   * for the one below it (which commits or rolls back a moment later).
   */
  private publishSettled(): void {
    while (this.slots[0]?.settled) {
      const slot = this.slots.shift()!;
      if (!slot.committed) continue;
      this.lastSeq = Math.max(this.lastSeq, seqOf(slot.envelopes.at(-1)!));
      try {
        this.bus.publishCommitted(slot.envelopes);
      } catch (error) {
        // The transaction committed: its caller must not see a failure, and the next slots still go out.
        log.error({ err: error }, 'publishing committed events failed');
      }
    }
  }

  /**
   * Volatile events skip the outbox: they carry a current value that the state tables also hold.
   * Their envelope id (`epoch:v<n>`) is not a position: no client can resume from it (the tracked
   * id of the message that carries one is the subscriber's last durable position).
   */
  publish<T extends VolatileType>(input: EventInput<T>): Envelope<T> {
    const event = parseEventInput(input);
    const envelope = {
      id: `${this.epoch}:v${++this.volatileCount}`,
      at: new Date().toISOString(),
      ...event,
    } as Envelope<T>;
    this.bus.publishVolatile(envelope as Envelope);
    return envelope;
  }

  private async append(db: Transaction, inputs: EventInput<DurableType>[]): Promise<PublishSlot> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(${OUTBOX_LOCK})`);
    // The events as one JSON parameter, not four parameters each: a rescore of 5,000 songwriters
    // emits 5,000 events. Rows are inserted, and take their seq, in the array's order.
    const batch = JSON.stringify(inputs.map((e) => ({ workspace_id: e.workspaceId, type: e.type, keys: e.keys, data: e.data })));
    const inserted = await rows<{ seq: number | string; at: Date | string }>(
      db,
      sql`INSERT INTO events (workspace_id, type, keys, data)
        SELECT e.workspace_id, e.type, e.keys, e.data FROM jsonb_to_recordset(${batch}::jsonb) AS e(workspace_id text, type text, keys jsonb, data jsonb)
        RETURNING seq, at`,
    );
    inserted.sort((a, b) => Number(a.seq) - Number(b.seq));
    const envelopes = inserted.map((row, i) => ({
      id: formatEventId(this.epoch, Number(row.seq)),
      at: new Date(row.at).toISOString(),
      ...inputs[i]!,
    })) as Envelope[];
    const slot: PublishSlot = { envelopes, committed: false, settled: false };
    this.slots.push(slot); // still under the outbox lock: queue order is seq order
    return slot;
  }

  /** The newest position this process has published to its bus. */
  get publishedSeq(): number {
    return this.lastSeq;
  }

  /** The newest committed position (0 for an empty outbox). */
  async head(): Promise<number> {
    const [row] = await this.db.select({ seq: max(events.seq) }).from(events);
    return Math.max(Number(row?.seq ?? 0), await this.floor());
  }

  /** Every position at or below the floor has been trimmed away. */
  async floor(): Promise<number> {
    const [row] = await this.db.select().from(meta).where(eq(meta.key, 'outbox_floor'));
    return row ? Number(row.value) : 0;
  }

  /**
   * Why a subscriber of `workspaceId` cannot resume from `position`, or null when it can. Every id
   * a subscriber is sent names an event of its own workspace (or 0, nothing yet: see
   * positionFor), so an id of another workspace's event is not a place in this caller's stream.
   */
  async resumeProblem(workspaceId: string, position: EventPosition): Promise<ResyncReason | null> {
    if (position.epoch !== this.epoch) return 'other_epoch';
    if (position.seq > (await this.head())) return 'unknown_id';
    if (position.seq < (await this.floor())) return 'expired';
    if (position.seq > 0) {
      const [row] = await this.db.select({ workspaceId: events.workspaceId }).from(events).where(eq(events.seq, position.seq));
      if (row && row.workspaceId !== workspaceId) return 'other_workspace';
    }
    return null;
  }

  /**
   * A workspace's position as of now: its newest committed event (0 when it has none). What a
   * snapshot is tracked by; replaying after it gives exactly the workspace's events after the
   * snapshot, and the id names no other workspace's event.
   */
  async positionFor(workspaceId: string): Promise<number> {
    const head = await this.head();
    const [row] = await this.db
      .select({ seq: max(events.seq) })
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), lte(events.seq, head)));
    // Never below the floor: everything there is trimmed, so the floor itself is a valid place to resume.
    return Math.max(Number(row?.seq ?? 0), await this.floor());
  }

  /** Committed events of a workspace after `afterSeq`, oldest first. */
  async readAfter(workspaceId: string, afterSeq: number, types: readonly EventType[], limit: number): Promise<Envelope[]> {
    const durableTypes = types.filter(isDurable);
    if (durableTypes.length === 0) return [];
    const found = await this.db
      .select()
      .from(events)
      .where(and(eq(events.workspaceId, workspaceId), gt(events.seq, afterSeq), inArray(events.type, durableTypes)))
      .orderBy(asc(events.seq))
      .limit(limit);
    return found.map((row) => this.toEnvelope(row));
  }

  /** Committed events of every workspace after `afterSeq` (the cross-process bus reads these). */
  async readAllAfter(afterSeq: number, limit: number): Promise<Envelope[]> {
    const found = await this.db.select().from(events).where(gt(events.seq, afterSeq)).orderBy(asc(events.seq)).limit(limit);
    return found.map((row) => this.toEnvelope(row));
  }

  /** Drops events older than `olderThan`; a client resuming from below the new floor is told to resync. */
  async trim(olderThan: Date): Promise<number> {
    return this.db.transaction(async (db) => {
      const [row] = await db
        .select({ seq: max(events.seq) })
        .from(events)
        .where(sql`${events.at} < ${olderThan.toISOString()}`);
      const newFloor = Number(row?.seq ?? 0);
      if (newFloor === 0) return 0;
      const deleted = await db.delete(events).where(lte(events.seq, newFloor)).returning({ seq: events.seq });
      await db
        .insert(meta)
        .values({ key: 'outbox_floor', value: String(newFloor) })
        .onConflictDoUpdate({ target: meta.key, set: { value: String(newFloor) } });
      return deleted.length;
    });
  }

  idOf(seq: number): string {
    return formatEventId(this.epoch, seq);
  }

  private toEnvelope(row: typeof events.$inferSelect): Envelope {
    return {
      id: formatEventId(this.epoch, row.seq),
      type: row.type as EventType,
      at: row.at.toISOString(),
      workspaceId: row.workspaceId,
      keys: row.keys as EventKeys,
      data: row.data,
    } as Envelope;
  }
}

export function seqOf(envelope: { id: string }): number {
  return Number(envelope.id.slice(envelope.id.lastIndexOf(':') + 1));
}
