/**
 * A workspace's worth of explorer data, made in the database with set-based inserts (a few
 * statements, no row at a time): by default 100,000 tracks across 2,000 playlists. Skewed like a
 * real catalogue: a few labels and writers hold most tracks, streams spread over orders of
 * magnitude, some fields unknown (null, or an empty string where providers send one), tracks on
 * one to four playlists, a quarter of them tagged, first seen over two years in weekly fetches
 * (a playlist's tracks share their first-seen instant, as one fetch writes them).
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';

export interface GenerateOptions {
  tracks: number;
  playlists: number;
  tags: number;
  /** setseed() argument in [-1, 1]: the same data each run. */
  seed?: number;
}

export const defaultSize: GenerateOptions = { tracks: 100_000, playlists: 2_000, tags: 24, seed: 0.42 };

export async function generateExplorerData(db: Executor, workspaceId: string, opts: GenerateOptions = defaultSize): Promise<void> {
  await db.transaction(async (tx) => {
    // A bulk load builds an index once, after the rows, rather than growing it row by row (the
    // trigram index most of all): the tracks' secondary indexes are dropped and made again, from
    // their own definitions, in this transaction.
    const indexes = await rows<{ name: string; definition: string }>(
      tx,
      sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = 'tracks' and indexname <> 'tracks_pkey'`,
    );
    for (const index of indexes) await tx.execute(sql.raw(`drop index "${index.name}"`));
    await tx.execute(sql`select setseed(${opts.seed ?? 0.42})`);
    await tx.execute(sql`
      insert into playlists (id, workspace_id, spotify_id, name, curator, followers, track_count, fetch_status, last_fetched_at)
      select 'bpl' || g, ${workspaceId}, 'BenchPlaylist' || lpad(g::text, 10, '0'),
        (array['Morning', 'Late Night', 'Fresh', 'Deep', 'Indie', 'Chill', 'Workout', 'Acoustic'])[1 + g % 8] || ' ' ||
        (array['Finds', 'Hits', 'Mix', 'Radar', 'Essentials', 'Vibes'])[1 + (g / 8) % 6] || ' #' || g,
        'Curator ' || (g % 150), floor(exp(random() * 13))::int, 0, 'fetched', now()
      from generate_series(1, ${opts.playlists}) g`);
    await tx.execute(sql`
      insert into tracks (id, workspace_id, spotify_id, name, artist, album, isrc, label, release_date, popularity, duration_ms,
        songwriters, producers, streams, playlist_reach, enrichment_status, enrichment_error, enriched_at, first_seen_at, publisher_status, created_at, updated_at)
      select 'btr' || lpad(g::text, 7, '0'), ${workspaceId}, 'BenchTrack' || lpad(g::text, 12, '0'),
        (array['Love', 'Night', 'Fire', 'Dream', 'Gold', 'River', 'Heart', 'Storm', 'Light', 'Echo', 'Paper', 'Neon'])[1 + floor(random() * 12)::int] || ' ' ||
        (array['Song', 'Ride', 'Run', 'Away', 'Home', 'Again', 'Tonight', 'Forever', 'Lines', 'Waves'])[1 + floor(random() * 10)::int] ||
        case when random() < 0.5 then ' ' || (g % 997) else '' end,
        'Artist ' || floor(8000 * power(random(), 2))::int,
        case when random() < 0.95 then 'Album ' || floor(30000 * random())::int end,
        case when r.isrc < 0.88 then 'US' || chr(65 + (g % 26)) || lpad((g % 100)::text, 2, '0') || lpad(g::text, 7, '0') when r.isrc < 0.9 then '' end,
        case when r.label < 0.07 then null when r.label < 0.09 then '' else
          (array['Records', 'Music', 'Recordings', 'Sound', 'Audio'])[1 + r.label_no % 5] || ' ' || r.label_no end,
        case when random() < 0.93 then (1970 + floor(power(random(), 0.4) * 56)::int)::text || '-' || lpad((1 + floor(random() * 12)::int)::text, 2, '0') || '-' || lpad((1 + floor(random() * 28)::int)::text, 2, '0') end,
        case when r.enriched < 0.9 then floor(power(random(), 0.7) * 101)::int end,
        120000 + floor(random() * 180000)::int,
        case when r.enriched < 0.7 then (select jsonb_agg('Writer ' || floor(5000 * power(random(), 2))::int) from generate_series(1, 1 + floor(random() * 3)::int + g * 0)) end,
        case when r.enriched < 0.6 then jsonb_build_array('Producer ' || floor(1500 * power(random(), 2))::int) end,
        case when r.enriched < 0.85 then floor(exp(4 + random() * 17))::bigint end,
        case when r.enriched < 0.85 then floor(random() * 4000)::int end,
        case when r.enriched < 0.9 then 'completed' when r.enriched < 0.95 then 'pending' when r.enriched < 0.98 then 'failed' else 'enriching' end,
        case when r.enriched >= 0.95 and r.enriched < 0.98 then 'Not found in the catalogue.' end,
        case when r.enriched < 0.9 then now() - random() * interval '300 days' end,
        date_trunc('week', now()) - floor(power(random(), 1.5) * 104) * interval '7 days' + floor(random() * 40) * interval '1 hour',
        (array['published', 'published', 'unpublished', 'unknown'])[1 + floor(random() * 4)::int],
        now(), now()
      from generate_series(1, ${opts.tracks}) g,
        lateral (select random() + g * 0 as isrc, random() + g * 0 as label, random() + g * 0 as enriched, floor(400 * power(random(), 3))::int + g * 0 as label_no) r`);
    // One to four playlists each (mostly one or two), then positions in each playlist.
    await tx.execute(sql`
      insert into playlist_tracks (workspace_id, playlist_id, track_id, position, created_at)
      select ${workspaceId}, playlist_id, track_id, (row_number() over (partition by playlist_id order by track_id))::int - 1, now()
      from (
        select distinct 'bpl' || (1 + floor(random() * ${opts.playlists})::int + n * 0) as playlist_id, t.id as track_id
        from tracks t, lateral generate_series(1, 1 + floor(power(random() + length(t.id) * 0, 2) * 4)::int) n
        where t.workspace_id = ${workspaceId}
      ) m`);
    await tx.execute(sql`
      update playlists p set track_count = c.n from (select playlist_id, count(*)::int as n from playlist_tracks where workspace_id = ${workspaceId} group by playlist_id) c
      where p.id = c.playlist_id`);
    await tx.execute(sql`
      insert into tags (id, workspace_id, name, color)
      select 'btag' || g, ${workspaceId}, (array['focus', 'pitched', 'priority', 'cleared', 'sync', 'hold'])[1 + g % 6] || ' ' || g,
        (array['slate', 'red', 'amber', 'emerald', 'sky', 'indigo', 'violet', 'pink'])[1 + g % 8]
      from generate_series(1, ${opts.tags}) g`);
    await tx.execute(sql`
      insert into track_tags (workspace_id, track_id, tag_id)
      select distinct ${workspaceId}, t.id, 'btag' || (1 + floor(power(random() + n * 0, 2) * ${opts.tags})::int)
      from tracks t, lateral generate_series(1, 1 + floor(random() * 2)::int) n
      where t.workspace_id = ${workspaceId} and random() < 0.25`);
    for (const index of indexes) await tx.execute(sql.raw(index.definition));
  });
  await db.execute(sql`analyze`);
}
