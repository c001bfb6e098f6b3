/** Phase 1, catalog metadata: ISRC, label, release date, popularity, duration, explicit, artwork. */
import { callProvider, isOutage, reasonOf } from '../call-provider';
import type { Phase, PhaseOutcome } from './phase-outcome';

export const catalogPhase: Phase = async (batch, providers, retry) => {
  const outcomes = new Map<string, PhaseOutcome>();
  let found;
  try {
    found = await callProvider(() => providers.catalog.getTracks(batch.map((t) => t.spotifyId), retry.signal), retry);
  } catch (error) {
    if (isOutage(error) || retry.signal?.aborted) throw error;
    // An answer we cannot use for the whole batch: each of its tracks fails with that reason.
    for (const track of batch) outcomes.set(track.id, { ok: false, error: reasonOf(error) });
    return outcomes;
  }
  for (const track of batch) {
    const metadata = found.get(track.spotifyId);
    if (!metadata) {
      outcomes.set(track.id, { ok: false, error: `The catalog (${providers.catalog.name}) has no metadata for track ${track.spotifyId}.` });
      continue;
    }
    outcomes.set(track.id, {
      ok: true,
      fields: {
        isrc: metadata.isrc,
        label: metadata.label,
        releaseDate: metadata.releaseDate,
        popularity: metadata.popularity,
        durationMs: metadata.durationMs ?? track.durationMs,
        explicit: metadata.explicit ?? track.explicit,
        artworkUrl: metadata.artworkUrl,
      },
    });
  }
  return outcomes;
};
