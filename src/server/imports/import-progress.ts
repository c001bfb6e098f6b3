/**
 * Publishes bulk_import_progress (volatile) for one import, from the counters a transaction just
 * committed (the imports row it returned): rows read, and playlists fetched. Each publisher (the
 * intake run, each worker's fetch loops) sends at most one per IMPORT_PROGRESS_INTERVAL_MS, and
 * the newest value it held back goes out when the interval ends, so a pause never leaves a
 * subscriber on old counts; each subscriber's queue then conflates per import to <= 10/s and
 * always delivers the last.
 */
import type { Runtime } from '../runtime';
import type { ImportRecord } from './finish-import';

export type ImportCounts = Pick<ImportRecord, 'processed' | 'created' | 'duplicates' | 'failed' | 'total' | 'toFetch' | 'fetched' | 'fetchFailed'>;

export const noCounts: ImportCounts = { processed: 0, created: 0, duplicates: 0, failed: 0, total: null, toFetch: 0, fetched: 0, fetchFailed: 0 };

type Status = 'queued' | 'running';

export class ImportProgress {
  private lastPublishedAt = 0;
  /** Where this publisher's rates start from (a resumed import counts only what it does now). */
  private baseline: { at: number; processed: number; settled: number } | null;
  private heldBack: { counts: ImportCounts; status: Status } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly target: { importId: string; workspaceId: string },
    baseline?: ImportCounts,
  ) {
    this.baseline = baseline ? { at: Date.now(), processed: baseline.processed, settled: settledOf(baseline) } : null;
  }

  /** Publishes unless one went out less than the interval ago (then it goes out when the interval ends); `final` always publishes. */
  report(counts: ImportCounts, opts: { final?: boolean; status?: Status } = {}): void {
    if (this.closed) return;
    const status = opts.status ?? 'running';
    const now = Date.now();
    this.baseline ??= { at: now, processed: counts.processed, settled: settledOf(counts) };
    const wait = this.lastPublishedAt + this.runtime.config.IMPORT_PROGRESS_INTERVAL_MS - now;
    if (!opts.final && wait > 0) {
      this.heldBack = { counts, status };
      this.timer ??= setTimeout(() => {
        this.timer = null;
        const held = this.heldBack;
        if (held && !this.closed) this.publish(held.counts, held.status);
      }, wait).unref();
      return;
    }
    this.publish(counts, status);
  }

  /** Stops publishing (after the final report): a value held back is dropped, never sent after the finish. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.heldBack = null;
  }

  private publish(counts: ImportCounts, status: Status): void {
    const now = Date.now();
    this.lastPublishedAt = now;
    this.heldBack = null;
    const base = this.baseline!;
    const seconds = (now - base.at) / 1000;
    const rate = (done: number) => (seconds > 0 && done > 0 ? Math.round((done / seconds) * 10) / 10 : 0);
    const rowsPerSecond = rate(counts.processed - base.processed);
    const fetchesPerSecond = rate(settledOf(counts) - base.settled);
    try {
      this.runtime.log.publish({
        type: 'bulk_import_progress',
        workspaceId: this.target.workspaceId,
        keys: { importId: this.target.importId },
        data: {
          importId: this.target.importId,
          status,
          processed: counts.processed,
          created: counts.created,
          duplicates: counts.duplicates,
          failed: counts.failed,
          total: counts.total,
          toFetch: counts.toFetch,
          fetched: counts.fetched,
          fetchFailed: counts.fetchFailed,
          rowsPerSecond,
          fetchesPerSecond,
          etaSeconds: etaSeconds(counts, rowsPerSecond, fetchesPerSecond),
        },
      });
    } catch {
      // The bus is closed (the runtime is shutting down): progress is volatile, the row keeps the counts.
    }
  }
}

const settledOf = (counts: ImportCounts) => counts.fetched + counts.fetchFailed;

/**
 * Until both stages end at the current rates. While rows remain, the playlists still to fetch are
 * estimated from the share of rows read so far that were new.
 */
function etaSeconds(counts: ImportCounts, rowsPerSecond: number, fetchesPerSecond: number): number | null {
  const rowsLeft = counts.total === null ? null : Math.max(0, counts.total - counts.processed);
  if (rowsLeft === null) return null;
  const expectedFetches = rowsLeft > 0 && counts.processed > 0 && counts.total ? (counts.toFetch * counts.total) / counts.processed : counts.toFetch;
  const fetchesLeft = Math.max(0, Math.round(expectedFetches) - settledOf(counts));
  const rowEta = rowsLeft === 0 ? 0 : rowsPerSecond > 0 ? rowsLeft / rowsPerSecond : null;
  const fetchEta = fetchesLeft === 0 ? 0 : fetchesPerSecond > 0 ? fetchesLeft / fetchesPerSecond : null;
  if (rowEta === null || fetchEta === null) return null;
  return Math.round(Math.max(rowEta, fetchEta) * 10) / 10;
}
