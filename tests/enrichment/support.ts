/** Shared setup for the pipeline tests: fast settings, a worker on the test runtime, event filters. */
import { EnrichmentWorker } from '~/server/enrichment/worker';
import type { Envelope, EventType } from '~/server/events/catalog';
import { subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { createRuntime } from '~/server/runtime';
import { createTestRuntime, type Engine, type TestRuntime } from '../support/runtime';

/** Zero latency, no simulated failures, short waits: the pipeline runs as fast as the database allows. */
export const fastEnv = {
  DEMO_LATENCY_MS: '0',
  DEMO_FAILURE_RATE: '0',
  WORKER_POLL_MS: '50',
  ENRICH_BATCH_SIZE: '10',
  JOB_BACKOFF_BASE_MS: '30',
  JOB_BACKOFF_MAX_MS: '200',
  PROVIDER_RETRY_BASE_MS: '5',
};

export function pipelineRuntime(opts: { engine?: Engine; env?: Record<string, string> } = {}): Promise<TestRuntime> {
  return createTestRuntime({ engine: opts.engine, env: { ...fastEnv, ...opts.env } });
}

/**
 * Runtimes a test opens and `dispose()` closes, newest first (call it in afterEach): `on` makes a
 * pipeline runtime on a new database; `second` another process's view of the same database (on
 * Postgres its own pool, LISTEN connection and bus; PGlite has one, so the same runtime);
 * `defer` anything else to undo.
 */
export function testRuntimes() {
  const disposers: Array<() => Promise<void>> = [];
  return {
    async on(engine: Engine, env: Record<string, string> = {}): Promise<TestRuntime> {
      const runtime = await pipelineRuntime({ engine, env });
      disposers.push(() => runtime.dispose());
      return runtime;
    },
    async second(runtime: TestRuntime): Promise<TestRuntime> {
      if (runtime.dbKind !== 'postgres') return runtime;
      const second = Object.assign(await createRuntime(runtime.target), { workspaceId: runtime.workspaceId, target: runtime.target, dispose: async () => {} });
      disposers.push(() => second.close());
      return second as TestRuntime;
    },
    /** Something else to undo at dispose (a worker, a cluster membership), before the runtimes it used. */
    defer(undo: () => Promise<void>): void {
      disposers.push(undo);
    },
    async dispose(): Promise<void> {
      while (disposers.length) await disposers.pop()!();
    },
  };
}

export function startWorker(runtime: TestRuntime, concurrency = 1): EnrichmentWorker {
  const worker = new EnrichmentWorker(runtime, { concurrency, pollMs: runtime.config.WORKER_POLL_MS });
  runtime.onClose.push(() => worker.stop());
  return worker.start();
}

export function ofType<T extends EventType>(events: readonly Envelope[], type: T): Envelope<T>[] {
  return events.filter((e) => e.type === type) as Envelope<T>[];
}

export function jobTransitions(events: readonly Envelope[], jobId: string): string[] {
  return ofType(events, 'job_status_changed')
    .filter((e) => e.data.jobId === jobId)
    .map((e) => `${e.data.from ?? 'none'}->${e.data.to}`);
}

/**
 * subscribe() and wait for the first message (snapshot): only then is the subscription attached
 * and past its snapshot point, so what happens next arrives as events, not inside the snapshot.
 */
export async function live<T>(runtime: TestRuntime, call: Parameters<typeof subscribe<T>>[1]) {
  const sub = await subscribe(runtime, call);
  await waitFor(() => sub.messages.length > 0, { what: 'the subscription snapshot' });
  return sub;
}
