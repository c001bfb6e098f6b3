/** The demo catalog provider: playlists and track metadata, deterministic per id, offline. */
import { ProviderError, type CatalogPlaylist, type CatalogProvider, type PlaylistTrackRef, type TrackMetadata } from '../types';
import { DEMO_LOCKED_PREFIX, DEMO_MISSING_PREFIX, DEMO_PRIVATE_PREFIX, DEMO_TRACK_POOL, demoTrackId } from './demo-ids';
import { demoTrackFacts } from './demo-track-facts';
import { curators, playlistMoods, playlistNouns } from './demo-vocabulary';
import { seededRandom } from './seeded-random';
import { simulateCall, simulatedItemFailure, type SimulationOptions } from './simulated-call';
import { demoArtworkUrl } from './demo-artwork';

const PROVIDER = 'demo catalog';
// Followers drift once per tick, so the follower poller has something to notice.
const FOLLOWER_TICK_MS = 60_000;
/** The default period of demo churn: the default PLAYLIST_REFRESH_INTERVAL_MS (a week). */
export const DEFAULT_DEMO_CHURN_MS = 604_800_000;

export interface DemoCatalogOptions extends SimulationOptions {
  /** How often a playlist's tracks change (see demoPlaylistTracks); 0: never. */
  churnMs?: number;
}

export class DemoCatalog implements CatalogProvider {
  readonly name = 'demo-catalog';

  constructor(private readonly opts: DemoCatalogOptions) {}

  async getPlaylist(spotifyId: string, signal?: AbortSignal): Promise<CatalogPlaylist> {
    await simulateCall(PROVIDER, this.opts, signal);
    assertExists(spotifyId);
    if (spotifyId.startsWith(DEMO_PRIVATE_PREFIX) || spotifyId.startsWith(DEMO_LOCKED_PREFIX)) {
      throw new ProviderError(
        this.name,
        'RESTRICTED',
        `Playlist ${spotifyId} exists but its tracks cannot be read: since February 2026 a Spotify app in development mode only reads the items of playlists its user owns or collaborates on.`,
      );
    }
    const r = seededRandom(`playlist:${spotifyId}`);
    return {
      spotifyId,
      name: `${r.pick(playlistMoods)} ${r.pick(playlistNouns)}`,
      curator: r.pick(curators),
      description: 'A demo playlist: generated offline, the same on every run.',
      imageUrl: demoArtworkUrl(spotifyId),
      followers: followersAt(spotifyId, Date.now()),
      tracks: demoPlaylistTracks(spotifyId, Date.now(), this.opts.churnMs ?? DEFAULT_DEMO_CHURN_MS),
    };
  }

  async getPlaylistFollowers(spotifyId: string, signal?: AbortSignal): Promise<number | null> {
    await simulateCall(PROVIDER, this.opts, signal);
    assertExists(spotifyId);
    return followersAt(spotifyId, Date.now());
  }

  async getTracks(spotifyIds: readonly string[], signal?: AbortSignal): Promise<Map<string, TrackMetadata | null>> {
    await simulateCall(PROVIDER, this.opts, signal);
    const found = new Map<string, TrackMetadata | null>();
    for (const id of spotifyIds) {
      if (simulatedItemFailure(this.opts)) {
        found.set(id, null);
        continue;
      }
      const facts = demoTrackFacts(id);
      found.set(id, {
        isrc: facts.isrc,
        label: facts.label,
        releaseDate: facts.releaseDate,
        popularity: facts.popularity,
        durationMs: facts.durationMs,
        explicit: facts.explicit,
        artworkUrl: facts.artworkUrl,
      });
    }
    return found;
  }
}

/**
 * A demo playlist's tracks at time `at`: 20-60 drawn from the shared pool, so playlists overlap.
 * They change every `churnMs` (the weekly history needs something to record offline): each period
 * 1-3 new tracks come in at the top and as many of the oldest fall off the bottom, deterministic
 * by playlist id and period. The playlist is a window sliding along its own walk through the pool
 * (start + k * step, step coprime to the pool size), so any period is computed directly and the
 * tracks of a window are always distinct.
 */
export function demoPlaylistTracks(spotifyId: string, at = Date.now(), churnMs = DEFAULT_DEMO_CHURN_MS): PlaylistTrackRef[] {
  const r = seededRandom(`playlist-tracks:${spotifyId}`);
  const count = r.int(20, 60);
  const start = r.int(0, DEMO_TRACK_POOL - 1);
  let step = r.int(1, DEMO_TRACK_POOL - 1);
  while (gcd(step, DEMO_TRACK_POOL) !== 1) step++;
  const period = churnMs > 0 ? Math.floor(at / churnMs) : 0;
  // Two more tracks per period, give or take one: each period moves the window by 1 to 3.
  const offset = (2 * period + seededRandom(`playlist-churn:${spotifyId}:${period}`).int(0, 1)) % DEMO_TRACK_POOL;
  const tracks: PlaylistTrackRef[] = [];
  // Newest first: the tracks that came in last are at the top.
  for (let k = offset + count - 1; k >= offset; k--) {
    const facts = demoTrackFacts(demoTrackId(((start + k * step) % DEMO_TRACK_POOL) + 1));
    tracks.push({ spotifyId: facts.spotifyId, name: facts.name, artist: facts.artist, album: facts.album, durationMs: facts.durationMs, explicit: facts.explicit });
  }
  return tracks;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function followersAt(spotifyId: string, now: number): number {
  const base = Math.round(10 ** (2 + seededRandom(`followers:${spotifyId}`).next() * 4.5));
  const tick = Math.floor(now / FOLLOWER_TICK_MS);
  return base + seededRandom(`followers:${spotifyId}:${tick}`).int(0, Math.max(5, Math.round(base * 0.02)));
}

function assertExists(spotifyId: string): void {
  if (spotifyId.startsWith(DEMO_MISSING_PREFIX)) {
    throw new ProviderError('demo-catalog', 'NOT_FOUND', `Playlist ${spotifyId} does not exist (or was deleted); check the link.`);
  }
}
