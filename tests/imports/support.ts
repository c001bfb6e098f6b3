/**
 * What the import tests share: a runtime with an instant, infallible demo catalog and the
 * worker's fetch loops (its enrichment loops off: imports are what these tests watch), fixtures,
 * waiting for an import to end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import type { Envelope } from '~/server/events/catalog';
import { importRows } from '~/server/db/schema';
import type { Config } from '~/server/config';
import { FetchWorker } from '~/server/enrichment/fetch-worker';
import { importerFor } from '~/server/imports/importer';
import type { Runtime } from '~/server/runtime';
import { createTestRuntime, type Engine, type TestRuntime } from '../support/runtime';
import { waitFor } from '../support/iterate';

export const fixturesDir = path.resolve(__dirname, '../fixtures/csv');
export const samplePath = path.resolve(__dirname, '../../samples/playlists.csv');

export const fixture = (name: string) => fs.readFileSync(path.join(fixturesDir, name), 'utf8');
export const demoId = (n: number) => `DemoPlaylist${String(n).padStart(10, '0')}`;

/**
 * A generated file of `rows` rows: a new playlist every `every`th row (numbered from `first`), a
 * repeat of the previous new one every 7th, the rest not playlists; and the counts an exact
 * import of it gives.
 */
export function importFile(rows: number, first = 1, every = 50) {
  const lines = ['url,name'];
  const expected = { created: 0, duplicates: 0, failed: 0 };
  let next = first;
  for (let row = 1; row <= rows; row++) {
    if (row % every === 1) {
      lines.push(`${demoId(next++)},new ${row}`);
      expected.created++;
    } else if (row % 7 === 0) {
      lines.push(`spotify:playlist:${demoId(next - 1)},repeat`);
      expected.duplicates++;
    } else {
      lines.push(`bad row ${row},x`);
      expected.failed++;
    }
  }
  return { csv: lines.join('\n'), expected };
}

export const importEnv = { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', LOG_LEVEL: 'silent', WORKER_POLL_MS: '50' };

/** A runtime on a new database (or, with `config`, the one a closed runtime used), with fetch loops unless `fetch: false`. */
export async function importRuntime(opts: { engine?: Engine; env?: Record<string, string>; config?: Config; fetch?: boolean } = {}): Promise<TestRuntime> {
  const runtime = await createTestRuntime({ engine: opts.engine, config: opts.config, env: { ...importEnv, ...opts.env } });
  if (opts.fetch !== false) startFetchWorker(runtime);
  return runtime;
}

/** The worker's fetch loops on the runtime, stopped when it closes. */
export function startFetchWorker(runtime: Runtime): FetchWorker {
  const { config } = runtime;
  const worker = new FetchWorker(runtime, { concurrency: config.FETCH_CONCURRENCY, batchSize: config.FETCH_BATCH_SIZE, pollMs: config.WORKER_POLL_MS });
  runtime.onClose.push(() => worker.stop());
  return worker.start();
}

/** Waits until nothing is read, fetched or queued: every import has finished. */
export const importsSettled = (runtime: Runtime) => importerFor(runtime).idle();

export function finishedEvent(events: Envelope[], importId: string) {
  return events.find(
    (event): event is Envelope<'bulk_import_finished'> => event.type === 'bulk_import_finished' && event.keys.importId === importId,
  );
}

export function waitForFinished(sub: { events: Envelope[] }, importId: string, timeoutMs = 30_000) {
  return waitFor(() => finishedEvent(sub.events, importId), { timeoutMs, what: `bulk_import_finished for ${importId}` });
}

export async function rowOutcomes(runtime: Runtime, importId: string) {
  return runtime.db
    .select({ row: importRows.rowNumber, outcome: importRows.outcome, reason: importRows.reason })
    .from(importRows)
    .where(and(eq(importRows.importId, importId)))
    .orderBy(asc(importRows.rowNumber));
}
