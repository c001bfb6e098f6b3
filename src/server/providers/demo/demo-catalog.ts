/** The demo catalog provider: playlists and track metadata, deterministic per id, offline. */
import { ProviderError, type CatalogPlaylist, type CatalogProvider, type PlaylistTrackRef, type TrackMetadata } from '../types';
import { DEMO_LOCKED_PREFIX, DEMO_MISSING_PREFIX, DEMO_PRIVATE_PREFIX, DEMO_TRACK_POOL, demoTrackId } from './demo-ids';
import { demoTrackFacts } from './demo-track-facts';
import { curators, playlistMoods, playlistNouns } from './demo-vocabulary';
import { seededRandom } from './seeded-random';
import { simulateCall, simulatedItemFailure, type SimulationOptions } from './simulated-call';

const PROVIDER = 'demo catalog';
// Followers drift once per tick, so the follower poller has something to notice.
const FOLLOWER_TICK_MS = 60_000;

export class DemoCatalog implements CatalogProvider {
  readonly name = 'demo-catalog';

  constructor(private readonly opts: SimulationOptions) {}

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
      imageUrl: `https://i.scdn.co/image/demo-${spotifyId.toLowerCase()}`,
      followers: followersAt(spotifyId, Date.now()),
      tracks: demoPlaylistTracks(spotifyId),
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

/** A demo playlist's tracks: 20-60 drawn from the shared pool, so playlists overlap. */
export function demoPlaylistTracks(spotifyId: string): PlaylistTrackRef[] {
  const r = seededRandom(`playlist-tracks:${spotifyId}`);
  const count = r.int(20, 60);
  const indexes = new Set<number>();
  while (indexes.size < count) indexes.add(r.int(1, DEMO_TRACK_POOL));
  return [...indexes].map((n) => {
    const facts = demoTrackFacts(demoTrackId(n));
    return { spotifyId: facts.spotifyId, name: facts.name, artist: facts.artist, album: facts.album, durationMs: facts.durationMs, explicit: facts.explicit };
  });
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
