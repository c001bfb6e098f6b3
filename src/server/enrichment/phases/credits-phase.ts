/** Phase 2, credits: songwriters and producers, looked up by the ISRC phase 1 found. */
import { callProvider } from '../call-provider';
import type { Phase } from './phase-outcome';
import { perTrack } from './per-track';

export const creditsPhase: Phase = (batch, providers, retry) =>
  perTrack(batch, retry.signal, async (track) => {
    // No ISRC, no credits lookup: the track is still enriched with what the catalog gave.
    if (!track.isrc) return { ok: true, fields: { songwriters: [], producers: [] } };
    const credits = await callProvider(() => providers.credits.getCredits(track.isrc!, retry.signal), retry);
    return { ok: true, fields: { songwriters: credits?.songwriters ?? [], producers: credits?.producers ?? [] } };
  });
