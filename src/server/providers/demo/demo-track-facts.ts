/** Everything the demo catalog "knows" about one track, derived from its id alone. */
import { seededRandom } from './seeded-random';
import { albumWords, bandWords, firstNames, isrcCountries, isrcRegistrants, labels, lastNames, titleWords } from './demo-vocabulary';
import { demoArtworkUrl } from './demo-artwork';

export interface DemoTrackFacts {
  spotifyId: string;
  name: string;
  artist: string;
  album: string;
  durationMs: number;
  explicit: boolean;
  isrc: string;
  label: string;
  releaseDate: string;
  popularity: number;
  artworkUrl: string;
}

export function demoTrackFacts(spotifyId: string): DemoTrackFacts {
  const r = seededRandom(`track:${spotifyId}`);
  const name = `${r.pick(titleWords.first)} ${r.pick(titleWords.second)}`;
  const artist = r.next() < 0.3 ? r.pick(bandWords) : `${r.pick(firstNames)} ${r.pick(lastNames)}`;
  const year = r.int(1995, 2025);
  const releaseDate = `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  const isrc = `${r.pick(isrcCountries)}${r.pick(isrcRegistrants)}${String(year % 100).padStart(2, '0')}${String(r.int(0, 99_999)).padStart(5, '0')}`;
  return {
    spotifyId,
    name,
    artist,
    album: `${name} ${r.pick(albumWords)}`,
    durationMs: r.int(120_000, 330_000),
    explicit: r.next() < 0.15,
    isrc,
    label: r.pick(labels),
    releaseDate,
    popularity: r.int(5, 95),
    artworkUrl: demoArtworkUrl(spotifyId),
  };
}

/** Credits keyed by ISRC, as a credits database has them. */
export function demoCreditsFor(isrc: string): { songwriters: string[]; producers: string[] } {
  const r = seededRandom(`credits:${isrc}`);
  const person = () => `${r.pick(firstNames)} ${r.pick(lastNames)}`;
  const songwriters = [...new Set(Array.from({ length: r.int(1, 4) }, person))];
  const producers = [...new Set(Array.from({ length: r.int(1, 2) }, person))];
  return { songwriters, producers };
}

export function demoStatsFor(spotifyId: string): { streams: number; playlistReach: number } {
  const r = seededRandom(`stats:${spotifyId}`);
  // Stream counts are heavy-tailed: most tracks have thousands, a few have hundreds of millions.
  const streams = Math.round(10 ** (3 + r.next() * 5.5));
  return { streams, playlistReach: Math.round(Math.sqrt(streams) * (0.5 + r.next())) };
}
