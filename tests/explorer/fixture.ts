/**
 * A small catalogue made for the explorer's semantics: every field takes few values (so sorts
 * tie), nulls and empty strings next to values, labels in two cases, streams past 2^31, tracks
 * first seen at the very same microsecond. Generated from a seed, so a failure replays; each
 * track's expected behaviour is checked against `matches` below, the filter written in plain
 * TypeScript.
 */
import { sql } from 'drizzle-orm';
import { playlists, playlistTracks, tags, tracks, trackTags } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { ExplorerFilter } from '~/server/tracks/explorer-filter';

export interface FixtureTrack {
  id: string;
  spotifyId: string;
  name: string;
  artist: string;
  album: string | null;
  isrc: string | null;
  label: string | null;
  releaseDate: string | null;
  popularity: number | null;
  streams: number | null;
  songwriters: string[] | null;
  producers: string[] | null;
  enrichmentStatus: 'pending' | 'enriching' | 'completed' | 'failed';
  enrichedAt: Date | null;
  /** ISO with microseconds, written as such. */
  firstSeenAt: string;
  publisherStatus: 'published' | 'unpublished' | 'unknown';
  playlistIds: string[];
  tagIds: string[];
}

export interface Fixture {
  tracks: FixtureTrack[];
  playlistIds: string[];
  playlistNames: Record<string, string>;
  tagIds: string[];
  tagNames: Record<string, string>;
}

/** Mondays (UTC) of the weeks the fixture's tracks were first seen in. */
export const weeks = ['2025-03-03', '2025-03-10', '2025-03-17'];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeFixture(count = 60, seed = 1414, prefix = 'fx'): Fixture {
  const random = rng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const playlistIds = [`${prefix}pl1`, `${prefix}pl2`, `${prefix}pl3`];
  const tagIds = [`${prefix}tag1`, `${prefix}tag2`, `${prefix}tag3`];
  const firstSeen = [
    '2025-03-03T00:00:00.000000Z', // the first instant of the first week
    '2025-03-05T10:20:30.123456Z',
    '2025-03-05T10:20:30.123456Z',
    '2025-03-05T10:20:30.123457Z', // a microsecond later: a JavaScript Date cannot tell them apart
    '2025-03-09T23:59:59.999999Z', // the last instant of the first week
    '2025-03-10T00:00:00.000000Z',
    '2025-03-12T08:00:00.000001Z',
    '2025-03-19T12:00:00.000000Z',
  ];
  const list: FixtureTrack[] = [];
  for (let i = 1; i <= count; i++) {
    list.push({
      id: `${prefix}trk${String(i).padStart(4, '0')}`,
      spotifyId: `${prefix}sp${i}`,
      name: pick(['Love Song', 'love song', 'Night Drive', 'Zebra', 'alpha', 'Paper Moon']),
      artist: pick(['The Band', 'Solo', 'Duo']),
      album: pick([null, 'First Album', 'Second Album']),
      isrc: pick([null, '', `USRC1${String(i).padStart(7, '0')}`]),
      label: pick([null, '', 'Atlantic', 'ATLANTIC', 'Sub Pop', 'Warp']),
      releaseDate: pick([null, '', '2020-01-01', '2021', '2020-01-01']),
      popularity: pick([null, 0, 50, 100, 50]),
      streams: pick([null, 0, 1000, 5_000_000_000, 1000]),
      songwriters: pick([null, [], ['Jane Writer'], ['Bob', 'Ann Smith']]),
      producers: pick([null, [], ['Max Producer']]),
      enrichmentStatus: pick(['pending', 'enriching', 'completed', 'failed'] as const),
      enrichedAt: pick([null, new Date('2025-04-01T10:00:00.000Z'), new Date('2025-04-02T10:00:00.000Z')]),
      firstSeenAt: pick(firstSeen),
      publisherStatus: pick(['published', 'unpublished', 'unknown'] as const),
      playlistIds: playlistIds.filter(() => random() < 0.4),
      tagIds: tagIds.filter(() => random() < 0.3),
    });
  }
  return {
    tracks: list,
    playlistIds,
    playlistNames: Object.fromEntries(playlistIds.map((id, i) => [id, `${['Morning', 'evening', 'Afternoon'][i]} ${prefix}`])),
    tagIds,
    tagNames: Object.fromEntries(tagIds.map((id, i) => [id, `${['focus', 'Pitched', 'later'][i]} ${prefix}`])),
  };
}

export async function insertFixture(runtime: Runtime, workspaceId: string, fixture: Fixture): Promise<void> {
  const { db } = runtime;
  await db.insert(playlists).values(fixture.playlistIds.map((id) => ({ id, workspaceId, spotifyId: `${id}-spotify`, name: fixture.playlistNames[id]! })));
  await db.insert(tags).values(fixture.tagIds.map((id, i) => ({ id, workspaceId, name: fixture.tagNames[id]!, color: ['red', 'sky', 'amber'][i]! })));
  await db.insert(tracks).values(
    fixture.tracks.map((t) => ({
      id: t.id,
      workspaceId,
      spotifyId: t.spotifyId,
      name: t.name,
      artist: t.artist,
      album: t.album,
      isrc: t.isrc,
      label: t.label,
      releaseDate: t.releaseDate,
      popularity: t.popularity,
      streams: t.streams,
      songwriters: t.songwriters,
      producers: t.producers,
      enrichmentStatus: t.enrichmentStatus,
      enrichedAt: t.enrichedAt,
      publisherStatus: t.publisherStatus,
    })),
  );
  // Microseconds: through SQL, as a Date would round them away.
  for (const t of fixture.tracks) {
    await db.execute(sql`update ${tracks} set first_seen_at = ${t.firstSeenAt}::timestamptz where ${tracks.id} = ${t.id}`);
  }
  const memberships = fixture.tracks.flatMap((t) => t.playlistIds.map((playlistId, position) => ({ workspaceId, playlistId, trackId: t.id, position })));
  if (memberships.length > 0) await db.insert(playlistTracks).values(memberships);
  const tagged = fixture.tracks.flatMap((t) => t.tagIds.map((tagId) => ({ workspaceId, tagId, trackId: t.id })));
  if (tagged.length > 0) await db.insert(trackTags).values(tagged);
}

const DAY_MS = 86_400_000;

/** The filter in plain TypeScript: what the SQL must agree with. */
export function matches(t: FixtureTrack, f: ExplorerFilter): boolean {
  if (f.q) {
    const q = f.q.trim().toLowerCase();
    const fields = [t.name, t.artist, t.album, t.isrc, t.label, ...(t.songwriters ?? []), ...(t.producers ?? [])];
    if (!fields.some((field) => field?.toLowerCase().includes(q))) return false;
  }
  const label = t.label ? t.label.toLowerCase() : null;
  const wanted = (f.labels ?? []).map((l) => l.trim().toLowerCase());
  const named = wanted.filter((l) => l !== '');
  const unlabelled = f.noLabel === true || wanted.includes('');
  if (named.length > 0 || unlabelled) {
    if (!((label !== null && named.includes(label)) || (unlabelled && label === null))) return false;
  } else if (f.noLabel === false && label === null) return false;
  if (f.statuses?.length && !f.statuses.includes(t.enrichmentStatus)) return false;
  if (f.hasIsrc !== undefined && f.hasIsrc !== Boolean(t.isrc)) return false;
  const credited = (t.songwriters?.length ?? 0) > 0 || (t.producers?.length ?? 0) > 0;
  if (f.hasCredits !== undefined && f.hasCredits !== credited) return false;
  if (f.streamsMin !== undefined && (t.streams === null || t.streams < f.streamsMin)) return false;
  if (f.streamsMax !== undefined && (t.streams === null || t.streams > f.streamsMax)) return false;
  if (f.popularityMin !== undefined && (t.popularity === null || t.popularity < f.popularityMin)) return false;
  if (f.popularityMax !== undefined && (t.popularity === null || t.popularity > f.popularityMax)) return false;
  if (f.playlistIds?.length && !t.playlistIds.some((id) => f.playlistIds!.includes(id))) return false;
  if (f.tagIds?.length && !t.tagIds.some((id) => f.tagIds!.includes(id))) return false;
  if (f.firstSeenWeek) {
    const day = new Date(`${f.firstSeenWeek}T00:00:00Z`);
    const monday = day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS;
    const seen = Date.parse(t.firstSeenAt.replace(/(\.\d{3})\d{3}Z$/, '$1Z'));
    if (seen < monday || seen >= monday + 7 * DAY_MS) return false;
  }
  if (f.publisherStatuses?.length && !f.publisherStatuses.includes(t.publisherStatus)) return false;
  return true;
}
