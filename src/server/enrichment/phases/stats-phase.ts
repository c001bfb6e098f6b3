/** Phase 3, stats: stream counts and playlist reach. */
import { callProvider } from '../call-provider';
import type { Phase } from './phase-outcome';
import { perTrack } from './per-track';

export const statsPhase: Phase = (batch, providers, retry) =>
  perTrack(batch, retry.signal, async (track) => {
    const stats = await callProvider(() => providers.stats.getTrackStats({ spotifyId: track.spotifyId, isrc: track.isrc }, retry.signal), retry);
    return { ok: true, fields: { streams: stats?.streams ?? null, playlistReach: stats?.playlistReach ?? null } };
  });
