/**
 * A workspace's worth of songwriters, made in the database with set-based inserts: by default
 * 10,000 songwriters credited on 100,000 tracks (one to four writers each, a few writers on many
 * tracks) across 2,000 playlists, some of them early-career ones ("Fresh Finds: …", "Lorem #…").
 * Tracks carry what the score reads, mixed as a catalogue is: labels of every class (DIY
 * distributors, independent distributors, majors, the artist's own name, independent labels, none),
 * published, unpublished and unknown works, some facts missing; 40% of writers have an IPI.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';

export interface GenerateOptions {
  songwriters: number;
  tracks: number;
  playlists: number;
  /** setseed() argument in [-1, 1]: the same data each run. */
  seed?: number;
}

export const defaultSize: GenerateOptions = { songwriters: 10_000, tracks: 100_000, playlists: 2_000, seed: 0.15 };

export async function generateSongwriterData(db: Executor, workspaceId: string, opts: GenerateOptions = defaultSize): Promise<void> {
  await db.transaction(async (tx) => {
    // A bulk load builds each index once, after the rows (the tracks' trigram index most of all):
    // the tracks' secondary indexes are dropped and made again from their own definitions.
    const indexes = await rows<{ name: string; definition: string }>(
      tx,
      sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = 'tracks' and indexname <> 'tracks_pkey'`,
    );
    for (const index of indexes) await tx.execute(sql.raw(`drop index "${index.name}"`));
    await tx.execute(sql`select setseed(${opts.seed ?? 0.15})`);
    await tx.execute(sql`
      insert into playlists (id, workspace_id, spotify_id, name, fetch_status, last_fetched_at)
      select 'bsp' || g, ${workspaceId}, 'BenchSwPlaylist' || lpad(g::text, 8, '0'),
        case when g % 25 = 0 then 'Fresh Finds: ' || (array['Indie', 'Pop', 'Hip-Hop', 'Electronic'])[1 + g % 4]
             when g % 97 = 0 then 'Lorem #' || g
             else (array['Morning', 'Late Night', 'Deep', 'Indie', 'Chill', 'Workout', 'Acoustic'])[1 + g % 7] || ' ' ||
               (array['Hits', 'Mix', 'Essentials', 'Vibes'])[1 + (g / 7) % 4] || ' #' || g end,
        'fetched', now()
      from generate_series(1, ${opts.playlists}) g`);
    await tx.execute(sql`
      insert into tracks (id, workspace_id, spotify_id, name, artist, isrc, label, release_date, streams, iswc, work_code,
        publisher_status, publishers, enrichment_status, enriched_at, first_seen_at)
      select 'bst' || lpad(g::text, 7, '0'), ${workspaceId}, 'BenchSwTrack' || lpad(g::text, 10, '0'), 'Song ' || g, 'Artist ' || r.artist,
        case when random() < 0.9 then 'QZ' || lpad(g::text, 10, '0') end,
        case when r.label < 0.2 then (array['DistroKid', 'TuneCore', 'CD Baby', 'Amuse', 'UnitedMasters', 'Ditto Music'])[1 + g % 6]
             when r.label < 0.35 then (array['AWAL', 'The Orchard', 'Believe', 'EMPIRE', 'Symphonic', 'ONErpm'])[1 + g % 6]
             when r.label < 0.45 then (array['Atlantic Records', 'Columbia', 'Republic Records', 'Sony Music Entertainment', 'Warner Records', 'Interscope Records'])[1 + g % 6]
             when r.label < 0.5 then 'Artist ' || r.artist
             when r.label < 0.9 then 'Label ' || floor(400 * power(random(), 2))::int || ' Records'
             when r.label < 0.97 then null
             else '' end,
        case when random() < 0.93 then (2000 + floor(random() * 26)::int)::text || '-06-01' end,
        case when random() < 0.85 then floor(exp(4 + random() * 15))::bigint end,
        case when r.rights < 0.7 then 'T-' || lpad(g::text, 9, '0') || '-1' end,
        case when r.rights < 0.75 then 'W' || g end,
        case when r.rights < 0.5 then 'published' when r.rights < 0.75 then 'unpublished' else 'unknown' end,
        case when r.rights < 0.5 then jsonb_build_array(jsonb_build_object('name', 'Publisher ' || (g % 300), 'ipi', lpad((g % 300)::text, 11, '0'), 'share', 50, 'administrators', '[]'::jsonb))
             when r.rights < 0.75 then '[]'::jsonb end,
        'completed', now(),
        date_trunc('week', now()) - floor(random() * 104) * interval '7 days'
      from generate_series(1, ${opts.tracks}) g,
        lateral (select random() + g * 0 as label, random() + g * 0 as rights, floor(8000 * power(random(), 2))::int + g * 0 as artist) r`);
    await tx.execute(sql`
      insert into playlist_tracks (workspace_id, playlist_id, track_id, position)
      select ${workspaceId}, playlist_id, track_id, (row_number() over (partition by playlist_id order by track_id))::int - 1
      from (
        select distinct 'bsp' || (1 + floor(random() * ${opts.playlists})::int + n * 0) as playlist_id, t.id as track_id
        from tracks t, lateral generate_series(1, 1 + floor(random() * 3 + length(t.id) * 0)::int) n
        where t.workspace_id = ${workspaceId}
      ) m`);
    await tx.execute(sql`
      update playlists p set track_count = c.n from (select playlist_id, count(*)::int as n from playlist_tracks where workspace_id = ${workspaceId} group by playlist_id) c
      where p.id = c.playlist_id`);
    await tx.execute(sql`
      insert into songwriters (id, workspace_id, name)
      select 'bsw' || lpad(g::text, 6, '0'), ${workspaceId}, 'Writer ' || g from generate_series(1, ${opts.songwriters}) g`);
    await tx.execute(sql`
      insert into songwriter_aliases (workspace_id, kind, key, display, songwriter_id)
      select ${workspaceId}, 'name', 'writer ' || g, 'Writer ' || g, 'bsw' || lpad(g::text, 6, '0') from generate_series(1, ${opts.songwriters}) g`);
    await tx.execute(sql`
      insert into songwriter_aliases (workspace_id, kind, key, display, songwriter_id)
      select ${workspaceId}, 'ipi', lpad((100000000 + g)::text, 11, '0'), 'Writer ' || g, 'bsw' || lpad(g::text, 6, '0')
      from generate_series(1, ${opts.songwriters}) g where random() < 0.4`);
    // One to four writers per track, a few writers on many tracks (the low numbers).
    await tx.execute(sql`
      insert into songwriter_credits (workspace_id, track_id, name_key, songwriter_id, credited_name, source)
      select distinct ${workspaceId}, t.id, 'writer ' || w.n, 'bsw' || lpad(w.n::text, 6, '0'), 'Writer ' || w.n, 'mlc'
      from tracks t,
        lateral (select 1 + floor(${opts.songwriters} * power(random() + length(t.id) * 0 + k * 0, 1.6))::int as n
                 from generate_series(1, 1 + floor(random() * 4 + length(t.id) * 0)::int) k) w
      where t.workspace_id = ${workspaceId}`);
    for (const index of indexes) await tx.execute(sql.raw(index.definition));
  });
  await db.execute(sql`analyze`);
}
