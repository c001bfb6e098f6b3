/**
 * Publishes bulk_import_progress (volatile). The producer already sends at most one per
 * IMPORT_PROGRESS_INTERVAL_MS, so a fast import is a handful of bus messages rather than one per
 * row; each subscriber's queue then conflates per import to <= 10/s and always delivers the last.
 */
import type { Runtime } from '../runtime';
import type { ImportCounters } from './import-counters';

export class ImportProgress {
  private lastPublishedAt = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly runtime: Runtime,
    private readonly target: { importId: string; workspaceId: string; total: number | null },
    /** Rows already done when this run began (a resume): the rate counts only this run's. */
    private readonly processedAtStart: number,
  ) {}

  /** Publishes unless one went out less than the interval ago; `final` always publishes. */
  report(counters: ImportCounters, opts: { final?: boolean; status?: 'queued' | 'running' } = {}): void {
    const now = Date.now();
    if (!opts.final && now - this.lastPublishedAt < this.runtime.config.IMPORT_PROGRESS_INTERVAL_MS) return;
    this.lastPublishedAt = now;
    const seconds = (now - this.startedAt) / 1000;
    const done = counters.processed - this.processedAtStart;
    const rowsPerSecond = seconds > 0 && done > 0 ? Math.round((done / seconds) * 10) / 10 : 0;
    const remaining = this.target.total === null ? null : Math.max(0, this.target.total - counters.processed);
    const etaSeconds = remaining === null ? null : remaining === 0 ? 0 : rowsPerSecond > 0 ? Math.round((remaining / rowsPerSecond) * 10) / 10 : null;
    this.runtime.log.publish({
      type: 'bulk_import_progress',
      workspaceId: this.target.workspaceId,
      keys: { importId: this.target.importId },
      data: {
        importId: this.target.importId,
        status: opts.status ?? 'running',
        processed: counters.processed,
        created: counters.created,
        duplicates: counters.duplicates,
        failed: counters.failed,
        total: this.target.total,
        rowsPerSecond,
        etaSeconds,
      },
    });
  }
}
