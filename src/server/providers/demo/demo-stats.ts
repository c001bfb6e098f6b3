/** The demo stats provider (streams, playlist reach), deterministic per track id. */
import { ProviderError, type PlaylistTrackRef, type StatsProvider, type TrackStats } from '../types';
import { DEFAULT_DEMO_CHURN_MS, demoPlaylistTracks, type DemoCatalogOptions } from './demo-catalog';
import { DEMO_PRIVATE_PREFIX } from './demo-ids';
import { demoStatsFor } from './demo-track-facts';
import { simulateCall, simulatedItemFailure } from './simulated-call';

export class DemoStats implements StatsProvider {
  readonly name = 'demo-stats';

  constructor(private readonly opts: DemoCatalogOptions) {}

  async getTrackStats(track: { spotifyId: string; isrc: string | null }, signal?: AbortSignal): Promise<TrackStats | null> {
    await simulateCall('demo stats', this.opts, signal);
    if (simulatedItemFailure(this.opts)) {
      throw new ProviderError(this.name, 'BAD_RESPONSE', `The demo stats provider returned no usable numbers for track ${track.spotifyId} (simulated).`);
    }
    return demoStatsFor(track.spotifyId);
  }

  /** Lists the tracks of the demo's "private" playlists, as Chartmetric can for restricted ones. */
  async getPlaylistTracks(spotifyId: string, signal?: AbortSignal): Promise<PlaylistTrackRef[] | null> {
    await simulateCall('demo stats', this.opts, signal);
    return spotifyId.startsWith(DEMO_PRIVATE_PREFIX) ? demoPlaylistTracks(spotifyId, Date.now(), this.opts.churnMs ?? DEFAULT_DEMO_CHURN_MS) : null;
  }
}
