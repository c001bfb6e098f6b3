/**
 * Writes what one claimed batch of fetch jobs found, in one transaction: the playlists fetched
 * (stored set-based, enrichment queued), the ones that failed for good (removed, their import
 * rows failed with the provider's reason), the ones to try again (queued with backoff), and each
 * import's counters, finishing an import whose last fetch this was. Only jobs this worker still
 * holds are written: one whose lease lapsed was swept and belongs to someone else now.
 */
import type { FetchJob } from '../jobs/claim-fetch-jobs';
import { completeFetchJobs, retryFetchJobs } from '../jobs/fetch-job-transitions';
import { lockLeasedJobs } from '../jobs/job-lease';
import { recordFetchOutcomes, type FetchFailure, type RecordedFetches } from '../imports/record-fetch-outcomes';
import type { PlaylistErrorCode } from '../playlists/playlist-error';
import { removeUnfetchedPlaylists } from '../playlists/remove-unfetched-playlists';
import { storeFetchedPlaylists } from '../playlists/store-fetched-playlists';
import type { CatalogPlaylist } from '../providers/types';
import type { Runtime } from '../runtime';

export type FetchResult =
  | { kind: 'fetched'; fetched: CatalogPlaylist }
  /** For good: the playlist is missing or restricted, or its last attempt failed. */
  | { kind: 'failed'; code: PlaylistErrorCode; message: string }
  /** This attempt failed (the provider was down or slow); the job has attempts left. */
  | { kind: 'retry'; code: PlaylistErrorCode; message: string };

export interface FetchOutcome extends FetchJob {
  result: FetchResult;
}

export async function settleFetchBatch(
  runtime: Runtime,
  workerId: string,
  outcomes: readonly FetchOutcome[],
  sources: ReadonlyMap<string, string | null>,
): Promise<RecordedFetches[]> {
  const { config } = runtime;
  return runtime.log.transaction(async (tx) => {
    const held = await lockLeasedJobs(tx.db, outcomes.map((o) => o.job.id), workerId);
    const mine = outcomes
      .filter((o) => held.has(o.job.id))
      // A retry on its last attempt fails for good, with the provider's sentence.
      .map((o): FetchOutcome => (o.result.kind === 'retry' && o.job.attempt >= o.job.maxAttempts ? { ...o, result: { ...o.result, kind: 'failed' } } : o));
    const fetched = mine.filter((o) => o.result.kind === 'fetched');
    const failed = mine.filter((o) => o.result.kind === 'failed');
    const retries = mine.filter((o) => o.result.kind === 'retry');

    await storeFetchedPlaylists(
      tx,
      runtime,
      fetched.map((o) => ({ playlist: o.playlist, fetched: (o.result as { fetched: CatalogPlaylist }).fetched, source: o.job.importId ? (sources.get(o.job.importId) ?? null) : null })),
    );
    const removed = await removeUnfetchedPlaylists(
      tx,
      failed.map((o) => ({ playlist: o.playlist, ...(o.result as { code: PlaylistErrorCode; message: string }) })),
    );
    // A failure whose playlist was no longer pending (refreshed by hand meanwhile) was fetched after all.
    const fetchedAfterAll = failed.filter((o) => !removed.has(o.playlist.id));
    await completeFetchJobs(tx.db, [...fetched, ...fetchedAfterAll].map((o) => o.job.id));
    await retryFetchJobs(
      tx.db,
      retries.map((o) => ({ id: o.job.id, attempt: o.job.attempt, error: messageOf(o) })),
      { backoffBaseMs: config.JOB_BACKOFF_BASE_MS, backoffMaxMs: config.JOB_BACKOFF_MAX_MS },
    );

    const byImport = new Map<string, { fetched: number; failed: FetchFailure[] }>();
    const tally = (importId: string | null) => {
      if (!importId) return null;
      let entry = byImport.get(importId);
      if (!entry) byImport.set(importId, (entry = { fetched: 0, failed: [] }));
      return entry;
    };
    for (const o of [...fetched, ...fetchedAfterAll]) {
      const entry = tally(o.job.importId);
      if (entry) entry.fetched++;
    }
    for (const o of failed) {
      if (removed.has(o.playlist.id)) tally(o.job.importId)?.failed.push({ playlistId: o.playlist.id, reason: messageOf(o) });
    }
    const recorded: RecordedFetches[] = [];
    for (const [importId, entry] of byImport) {
      const result = await recordFetchOutcomes(tx, importId, entry);
      if (result) recorded.push(result);
    }
    return recorded;
  });
}

function messageOf(outcome: FetchOutcome): string {
  return outcome.result.kind === 'fetched' ? '' : outcome.result.message;
}
