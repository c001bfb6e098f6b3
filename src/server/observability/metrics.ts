/**
 * Metrics in Prometheus' text format (prom-client). Counters that the hot paths bump are plain
 * numbers (events/flow-control.ts flowStats) read at scrape time, so an event costs no label
 * lookup; the few observed here (job phases, import rows) happen once per phase or chunk.
 * Figures that belong to one running app server (connections, subscriptions, queues, the outbox,
 * the pool) are collected from it by `appMetrics`, on a registry of its own.
 */
import client from 'prom-client';
import { flowStats } from '../events/flow-control';

/** Process-wide: the Node process itself, and what the worker and importer observe. */
export const processRegistry = new client.Registry();
client.collectDefaultMetrics({ register: processRegistry, prefix: 'linernotes_' });

export const jobPhaseSeconds = new client.Histogram({
  name: 'linernotes_job_phase_seconds',
  help: 'How long an enrichment phase took, per job (1 catalog, 2 credits, 3 stats, 4 rights).',
  labelNames: ['phase'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [processRegistry],
});

export const importRowsTotal = new client.Counter({
  name: 'linernotes_import_rows_total',
  help: 'CSV rows imported, by outcome (rate() gives rows per second).',
  labelNames: ['outcome'],
  registers: [processRegistry],
});

function byKey(name: string, help: string, label: string, read: () => Record<string, number>, registers: client.Registry[]) {
  return new client.Counter({
    name,
    help,
    labelNames: [label],
    registers,
    collect() {
      this.reset();
      for (const [key, value] of Object.entries(read())) this.inc({ [label]: key }, value);
    },
  });
}

byKey('linernotes_events_published_total', 'Events the bus handed to this process, by type.', 'type', () => flowStats.publishedByType, [processRegistry]);
byKey('linernotes_events_fanned_out_total', "Events handed to subscribers' queues (one per matching subscriber), by type.", 'type', () => flowStats.fannedOutByType, [processRegistry]);
byKey('linernotes_events_conflated_total', 'Volatile values replaced by a newer one before they were sent, by type.', 'type', () => flowStats.conflatedByType, [processRegistry]);
byKey('linernotes_resyncs_total', 'Resync messages sent to subscribers, by reason (slow_consumer ends the subscription).', 'reason', () => flowStats.resyncsByReason, [processRegistry]);
for (const [name, help, read] of [
  ['linernotes_events_delivered_total', 'Events handed to a transport (a batch counts each of its events).', () => flowStats.delivered],
  ['linernotes_batches_total', 'Messages that carried more than one durable event.', () => flowStats.batched],
  ['linernotes_events_serialized_total', 'Events turned into JSON (once per event, however many subscribers).', () => flowStats.serialized],
] as const) {
  new client.Counter({
    name,
    help,
    registers: [processRegistry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export interface AppFigures {
  connections(): { ws: number; sse: number };
  subscriptionsByProcedure(): Map<string, number>;
  queuedBytes(): number;
  /** Durable events committed but not yet handed to this process's hub. */
  outboxLag(): Promise<number>;
  pool(): { total: number; idle: number; waiting: number } | null;
  watchedGrants(): number;
}

/** The registry /metrics serves for one app server: its own figures plus the process's. */
export function appMetrics(figures: AppFigures): client.Registry {
  const registry = new client.Registry();
  const registers = [registry];
  new client.Gauge({
    name: 'linernotes_connections',
    help: 'Open connections, by transport.',
    labelNames: ['transport'],
    registers,
    collect() {
      const open = figures.connections();
      this.set({ transport: 'ws' }, open.ws);
      this.set({ transport: 'sse' }, open.sse);
    },
  });
  new client.Gauge({
    name: 'linernotes_subscriptions',
    help: 'Open subscriptions, by procedure.',
    labelNames: ['procedure'],
    registers,
    collect() {
      this.reset();
      for (const [procedure, count] of figures.subscriptionsByProcedure()) this.set({ procedure }, count);
    },
  });
  new client.Gauge({
    name: 'linernotes_subscriber_queue_bytes',
    help: "Serialized bytes waiting in subscribers' queues, undelivered.",
    registers,
    collect() {
      this.set(figures.queuedBytes());
    },
  });
  new client.Gauge({
    name: 'linernotes_outbox_lag_events',
    help: 'Durable events committed to the outbox but not yet published to this process.',
    registers,
    async collect() {
      this.set(await figures.outboxLag());
    },
  });
  new client.Gauge({
    name: 'linernotes_db_pool_connections',
    help: 'Postgres pool connections by state (absent on the embedded database).',
    labelNames: ['state'],
    registers,
    collect() {
      const pool = figures.pool();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
  new client.Gauge({
    name: 'linernotes_access_grants',
    help: 'Open connections whose access is re-checked for revocation.',
    registers,
    collect() {
      this.set(figures.watchedGrants());
    },
  });
  return client.Registry.merge([registry, processRegistry]);
}
