/**
 * What the score is computed from: per songwriter, their credited tracks summed up in one query
 * (songwriter_credits x tracks x playlist_tracks x playlists). Everything a category needs for
 * its points and its evidence is here, so scoring (score.ts) reads no database.
 *
 * Lists are kept short where only examples are shown (three works each way), and tracks are
 * summed up by label: a songwriter's hundred tracks are a handful of labels to classify.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import type { ScoreConfig } from './score-config';

export interface SongwriterAggregate {
  songwriterId: string;
  /** IPI name numbers on record for them (aliases of kind ipi). */
  ipis: string[];
  /** Distinct credited tracks. */
  tracks: number;
  totalStreams: number;
  /** The earliest firstSeenAt of their tracks; null without tracks. */
  firstSeenAt: Date | null;
  /** Their tracks by publisher status. */
  works: { published: number; unpublished: number; unknown: number };
  /** Up to three works with a publisher and three without, most streamed first. */
  publishedWorks: Array<{ track: string; artist: string; workCode: string | null; publishers: string[] }>;
  unpublishedWorks: Array<{ track: string; artist: string; workCode: string | null }>;
  /**
   * Their labelled tracks by label, with the first track's name as an example; apart by artist
   * where the label's name is in the artist's (the only case where it can be the artist's own name).
   */
  releases: Array<{ label: string; artist: string | null; tracks: number; example: string }>;
  /**
   * Playlists their tracks are on, with the first such track's name. Only those whose name
   * contains an early-career pattern are read: no other playlist can count.
   */
  playlists: Array<{ name: string; example: string }>;
  /** Tracks missing each fact (an empty string counts as missing). */
  missing: { isrc: number; label: number; releaseDate: number; iswc: number; streams: number };
}

interface AggregateRow {
  id: string;
  ipis: string[];
  tracks: number | null;
  streams: number | null;
  first_seen: Date | string | null;
  published: number | null;
  unpublished: number | null;
  unknown: number | null;
  missing_isrc: number | null;
  missing_label: number | null;
  missing_release: number | null;
  missing_iswc: number | null;
  missing_streams: number | null;
  published_works: SongwriterAggregate['publishedWorks'] | null;
  unpublished_works: SongwriterAggregate['unpublishedWorks'] | null;
  release_labels: string[] | null;
  release_artists: Array<string | null> | null;
  release_tracks: number[] | null;
  release_examples: string[] | null;
  playlist_names: string[] | null;
  playlist_examples: string[] | null;
}

/** The aggregates of these songwriters (one per id that is in the workspace, tracks or not). */
export async function aggregateSongwriters(db: Executor, workspaceId: string, songwriterIds: readonly string[], config: ScoreConfig): Promise<SongwriterAggregate[]> {
  if (songwriterIds.length === 0) return [];
  const ids = sql.param([...songwriterIds]);
  const found = await rows<AggregateRow>(
    db,
    sql`
    WITH credited AS (
      SELECT DISTINCT c.songwriter_id, c.track_id FROM songwriter_credits c
      WHERE c.songwriter_id = ANY(${ids}::text[]) AND c.workspace_id = ${workspaceId}
    ),
    ct AS (
      SELECT c.songwriter_id, t.id, t.name, t.artist, nullif(t.label, '') AS label, t.streams, t.publisher_status, t.first_seen_at,
        nullif(t.isrc, '') IS NULL AS no_isrc, nullif(t.release_date, '') IS NULL AS no_release, nullif(t.iswc, '') IS NULL AS no_iswc
      FROM credited c JOIN tracks t ON t.id = c.track_id
    ),
    -- One pass over the credited tracks, by songwriter and label (the artist kept only where the
    -- label's name is in it: the only case where it can be the artist's own name).
    by_label AS (
      SELECT songwriter_id, label, CASE WHEN strpos(lower(artist), lower(label)) > 0 THEN artist END AS artist,
        count(*)::int AS tracks, min(name) AS example, sum(streams) AS streams, min(first_seen_at) AS first_seen,
        count(*) FILTER (WHERE publisher_status = 'published')::int AS published,
        count(*) FILTER (WHERE publisher_status = 'unpublished')::int AS unpublished,
        count(*) FILTER (WHERE no_isrc)::int AS missing_isrc,
        count(*) FILTER (WHERE no_release)::int AS missing_release,
        count(*) FILTER (WHERE no_iswc)::int AS missing_iswc,
        count(*) FILTER (WHERE streams IS NULL)::int AS missing_streams
      FROM ct GROUP BY 1, 2, 3
    ),
    totals AS (
      SELECT songwriter_id, sum(tracks)::int AS tracks, coalesce(sum(streams), 0)::float8 AS streams, min(first_seen) AS first_seen,
        sum(published)::int AS published, sum(unpublished)::int AS unpublished, (sum(tracks) - sum(published) - sum(unpublished))::int AS unknown,
        sum(missing_isrc)::int AS missing_isrc, coalesce(sum(tracks) FILTER (WHERE label IS NULL), 0)::int AS missing_label,
        sum(missing_release)::int AS missing_release, sum(missing_iswc)::int AS missing_iswc, sum(missing_streams)::int AS missing_streams,
        array_agg(label) FILTER (WHERE label IS NOT NULL) AS release_labels, array_agg(artist) FILTER (WHERE label IS NOT NULL) AS release_artists,
        array_agg(tracks) FILTER (WHERE label IS NOT NULL) AS release_tracks, array_agg(example) FILTER (WHERE label IS NOT NULL) AS release_examples
      FROM by_label GROUP BY songwriter_id
    ),
    -- Examples for the publishing evidence: their three most streamed works with a publisher, and without.
    examples AS (
      SELECT songwriter_id,
        jsonb_agg(jsonb_build_object('track', name, 'artist', artist, 'workCode', work_code, 'publishers', publisher_names) ORDER BY rank)
          FILTER (WHERE publisher_status = 'published') AS published_works,
        jsonb_agg(jsonb_build_object('track', name, 'artist', artist, 'workCode', work_code) ORDER BY rank)
          FILTER (WHERE publisher_status = 'unpublished') AS unpublished_works
      FROM (
        SELECT ranked.songwriter_id, ranked.name, ranked.artist, ranked.publisher_status, ranked.rank, t.work_code,
          -- The publishers holding a share, themselves or through an administrator (as rights-phase.ts decides published).
          coalesce((SELECT jsonb_agg(p->>'name') FROM jsonb_array_elements(coalesce(t.publishers, '[]'::jsonb)) p
            WHERE CASE WHEN p->>'share' IS NULL
              THEN EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(p->'administrators', '[]'::jsonb)) a WHERE coalesce((a->>'share')::float8, 0) > 0)
              ELSE (p->>'share')::float8 > 0 END), '[]'::jsonb) AS publisher_names
        FROM (
          SELECT songwriter_id, id, name, artist, publisher_status,
            row_number() OVER (PARTITION BY songwriter_id, publisher_status ORDER BY streams DESC NULLS LAST, id) AS rank
          FROM ct WHERE publisher_status <> 'unknown'
        ) ranked JOIN tracks t ON t.id = ranked.id
        WHERE ranked.rank <= 3
      ) shown
      GROUP BY songwriter_id
    ),
    early AS (
      SELECT id, name FROM playlists
      WHERE workspace_id = ${workspaceId}
        AND EXISTS (SELECT 1 FROM unnest(${sql.param(config.earlyCareerPatterns)}::text[]) q WHERE strpos(lower(name), q) > 0)
    ),
    on_early AS (
      SELECT songwriter_id, array_agg(name ORDER BY name) AS playlist_names, array_agg(example ORDER BY name) AS playlist_examples
      FROM (
        SELECT ct.songwriter_id, e.id, e.name, min(ct.name) AS example
        FROM early e JOIN playlist_tracks pt ON pt.playlist_id = e.id JOIN ct ON ct.id = pt.track_id
        GROUP BY 1, 2, 3
      ) p
      GROUP BY songwriter_id
    ),
    ipis AS (
      SELECT songwriter_id, array_agg(key ORDER BY key) AS ipis FROM songwriter_aliases
      WHERE songwriter_id = ANY(${ids}::text[]) AND kind = 'ipi'
      GROUP BY songwriter_id
    )
    SELECT s.id, coalesce(i.ipis, '{}') AS ipis, t.tracks, t.streams, t.first_seen, t.published, t.unpublished, t.unknown,
      t.missing_isrc, t.missing_label, t.missing_release, t.missing_iswc, t.missing_streams,
      t.release_labels, t.release_artists, t.release_tracks, t.release_examples,
      x.published_works, x.unpublished_works, e.playlist_names, e.playlist_examples
    FROM songwriters s
      LEFT JOIN totals t ON t.songwriter_id = s.id
      LEFT JOIN examples x ON x.songwriter_id = s.id
      LEFT JOIN on_early e ON e.songwriter_id = s.id
      LEFT JOIN ipis i ON i.songwriter_id = s.id
    WHERE s.id = ANY(${ids}::text[]) AND s.workspace_id = ${workspaceId}`,
  );
  return found.map((row) => ({
    songwriterId: row.id,
    ipis: row.ipis,
    tracks: row.tracks ?? 0,
    totalStreams: Number(row.streams ?? 0),
    firstSeenAt: row.first_seen === null ? null : new Date(row.first_seen),
    works: { published: row.published ?? 0, unpublished: row.unpublished ?? 0, unknown: row.unknown ?? 0 },
    publishedWorks: row.published_works ?? [],
    unpublishedWorks: row.unpublished_works ?? [],
    releases: (row.release_labels ?? []).map((label, i) => ({ label, artist: row.release_artists![i]!, tracks: row.release_tracks![i]!, example: row.release_examples![i]! })),
    playlists: (row.playlist_names ?? []).map((name, i) => ({ name, example: row.playlist_examples![i]! })),
    missing: {
      isrc: row.missing_isrc ?? 0,
      label: row.missing_label ?? 0,
      releaseDate: row.missing_release ?? 0,
      iswc: row.missing_iswc ?? 0,
      streams: row.missing_streams ?? 0,
    },
  }));
}
