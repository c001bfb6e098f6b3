/** What the import tests share: a runtime with an instant, infallible demo catalog, fixtures, waiting for an import to end. */
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import type { Envelope } from '~/server/events/catalog';
import { importRows } from '~/server/db/schema';
import { importerFor } from '~/server/imports/importer';
import type { Runtime } from '~/server/runtime';
import { createTestRuntime, type Engine } from '../support/runtime';
import { waitFor } from '../support/iterate';

export const fixturesDir = path.resolve(__dirname, '../fixtures/csv');
export const samplePath = path.resolve(__dirname, '../../samples/playlists.csv');

export const fixture = (name: string) => fs.readFileSync(path.join(fixturesDir, name), 'utf8');
export const demoId = (n: number) => `DemoPlaylist${String(n).padStart(10, '0')}`;

export function importRuntime(opts: { engine?: Engine; env?: Record<string, string> } = {}) {
  return createTestRuntime({
    engine: opts.engine,
    env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', LOG_LEVEL: 'silent', ...opts.env },
  });
}

/** Waits until the importer has nothing running or queued. */
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
