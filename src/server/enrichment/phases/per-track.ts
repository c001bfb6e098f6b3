/** Runs one provider call per track of a batch, concurrently; an outage anywhere fails the phase. */
import { isOutage, reasonOf } from '../call-provider';
import type { TrackRow } from '../../tracks/track-transitions';
import type { PhaseOutcome } from './phase-outcome';

export async function perTrack(
  batch: readonly TrackRow[],
  signal: AbortSignal | undefined,
  lookup: (track: TrackRow) => Promise<PhaseOutcome>,
): Promise<Map<string, PhaseOutcome>> {
  const settled = await Promise.allSettled(batch.map(lookup));
  const outcomes = new Map<string, PhaseOutcome>();
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') {
      outcomes.set(batch[i]!.id, result.value);
      continue;
    }
    if (isOutage(result.reason) || signal?.aborted) throw result.reason;
    outcomes.set(batch[i]!.id, { ok: false, error: reasonOf(result.reason) });
  }
  return outcomes;
}
