/**
 * The cross-process bus (Postgres): web and worker processes share one outbox, and every
 * process hands the events of every other process to its own subscribers.
 *
 * Durable events: after a commit the writer sends a NOTIFY (a wake-up, no payload worth
 * trusting); every process, the writer included, then reads the outbox after the last seq it
 * delivered, in seq order. Outbox writers hold an advisory lock until commit, so seq order is
 * commit order and "everything after my last seq" never skips a row; reading instead of
 * trusting the notification keeps delivery exactly-once and ordered even when a NOTIFY is lost
 * (a listener reconnect, a process paused): a slow poll catches up on its own.
 *
 * Volatile events are not stored: they travel in the NOTIFY payload, and the sending process
 * delivers its own locally at once (and ignores its echo).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { log } from '../log';
import { deliverToListeners, type BusListener, type EventBus } from './bus';
import type { Envelope } from './catalog';
import { seqOf } from './event-log';

export const BUS_CHANNEL = 'linernotes_events';
// NOTIFY payloads are limited to 8000 bytes; a bigger volatile event stays in its process.
const MAX_PAYLOAD_BYTES = 7900;
const READ_PAGE = 500;
/** Notices sent by one statement at most: a burst goes out in a few round trips, not one per event. */
const NOTIFY_BATCH = 200;

/** Reads committed outbox rows (EventLog.readAllAfter). */
export type OutboxReader = (afterSeq: number, limit: number) => Promise<Envelope[]>;

type Notice = { kind: 'committed'; from: string; seq: number } | { kind: 'volatile'; from: string; event: Envelope };

export interface PostgresBusOptions {
  /** How often to read the outbox without a wake-up (covers a lost NOTIFY). */
  safetyPollMs?: number;
  reconnectMs?: number;
}

export class PostgresBus implements EventBus {
  private readonly emitter = new EventEmitter();
  private readonly processId = randomUUID();
  private listener: pg.PoolClient | null = null;
  private read: OutboxReader | null = null;
  private deliveredSeq = 0;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Payloads waiting for the statement in flight; sent in order, a batch per statement. */
  private readonly outgoing: string[] = [];
  private sending: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PostgresBusOptions = {},
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Starts delivering events committed after `headSeq` (the outbox head when the process started). */
  async start(read: OutboxReader, headSeq: number): Promise<void> {
    this.read = read;
    this.deliveredSeq = headSeq;
    await this.connectListener();
    this.pollTimer = setInterval(() => this.wake(), this.opts.safetyPollMs ?? 2_000);
    this.pollTimer.unref();
  }

  publishCommitted(events: readonly Envelope[]): void {
    if (events.length === 0) return;
    this.notify({ kind: 'committed', from: this.processId, seq: seqOf(events.at(-1)!) });
    this.wake();
  }

  publishVolatile(event: Envelope): void {
    this.deliver([event]);
    this.notify({ kind: 'volatile', from: this.processId, event });
  }

  private deliver(events: readonly Envelope[]): void {
    deliverToListeners(this.emitter.listeners('events') as BusListener[], events, (error) => log.error({ err: error }, 'a bus listener failed'));
  }

  listen(listener: BusListener): () => void {
    this.emitter.on('events', listener);
    return () => this.emitter.off('events', listener);
  }

  /** The newest outbox position handed to this process's listeners. */
  deliveredPosition(): number {
    return this.deliveredSeq;
  }

  /** True while the LISTEN connection is up (wake-ups arrive; the safety poll covers the gaps). */
  isListening(): boolean {
    return this.listener !== null;
  }

  listenerCount(): number {
    return this.emitter.listenerCount('events');
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.draining?.catch(() => {});
    await this.sending;
    const client = this.listener;
    this.listener = null;
    if (client) {
      await client.query(`UNLISTEN ${BUS_CHANNEL}`).catch(() => {});
      client.release();
    }
    this.emitter.removeAllListeners();
  }

  private notify(notice: Notice): void {
    const payload = JSON.stringify(notice);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      log.warn({ type: notice.kind === 'volatile' ? notice.event.type : 'committed' }, 'event too large for NOTIFY: other processes miss it');
      return;
    }
    this.outgoing.push(payload);
    this.sending ??= this.sendNotices().finally(() => (this.sending = null));
  }

  /**
   * Sends the waiting notices, one statement at a time, each carrying everything that queued up
   * meanwhile: notifications leave in publish order (one statement's pg_notify calls run in
   * ordinality order, and Postgres delivers a transaction's notifications in the order sent),
   * and a client never has two queries in flight. Through the listening connection while it is
   * up, else the pool.
   */
  private async sendNotices(): Promise<void> {
    while (this.outgoing.length > 0) {
      const batch = this.outgoing.splice(0, NOTIFY_BATCH);
      try {
        await (this.listener ?? this.pool).query(
          'SELECT pg_notify($1, n.payload) FROM unnest($2::text[]) WITH ORDINALITY AS n(payload, i) ORDER BY n.i',
          [BUS_CHANNEL, batch],
        );
      } catch (error) {
        // Other processes still catch up on committed events through their safety poll.
        if (!this.closed) log.warn({ err: error, notices: batch.length }, 'NOTIFY failed');
      }
    }
  }

  /** Reads and delivers everything committed after the last delivered seq; one reader at a time. */
  private wake(): void {
    if (this.closed || !this.read) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const page = await this.read!(this.deliveredSeq, READ_PAGE);
        if (page.length === 0 || this.closed) return;
        this.deliveredSeq = seqOf(page.at(-1)!);
        this.deliver(page);
        if (page.length < READ_PAGE) return;
      }
    } catch (error) {
      if (!this.closed) log.warn({ err: error }, 'reading the outbox for the bus failed; retrying on the next wake-up');
    }
  }

  private async connectListener(): Promise<void> {
    const client = await this.pool.connect();
    const onNotification = (message: pg.Notification) => {
      if (message.channel !== BUS_CHANNEL || !message.payload) return;
      let notice: Notice;
      try {
        notice = JSON.parse(message.payload) as Notice;
      } catch {
        return;
      }
      if (notice.kind === 'committed') this.wake();
      else if (notice.from !== this.processId) this.deliver([notice.event]);
    };
    const onError = (error: Error) => {
      if (this.closed) return;
      log.warn({ err: error }, 'bus listener connection lost; reconnecting');
      this.listener = null;
      client.release(error);
      this.reconnectSoon();
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    try {
      await client.query(`LISTEN ${BUS_CHANNEL}`);
    } catch (error) {
      // Give the connection back (destroyed), once: the caller retries with a new one.
      client.off('notification', onNotification);
      client.off('error', onError);
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    this.listener = client;
  }

  private reconnectSoon(): void {
    const timer = setTimeout(() => {
      if (this.closed) return;
      this.connectListener()
        .then(() => this.wake()) // catch up on what committed while we were deaf
        .catch(() => this.reconnectSoon());
    }, this.opts.reconnectMs ?? 1_000);
    timer.unref();
  }
}
