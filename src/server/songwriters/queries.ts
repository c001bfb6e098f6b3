/**
 * Reads for the songwriter pages: the list (a filtered, sorted page of summaries) and one
 * songwriter in full. Each is a few set-based queries whatever the number of rows: the list pages
 * ids with one query and builds their summaries with songwriterCards (shared with the board); the
 * detail reads each kind of fact (aliases, tracks, playlists, labels, publishers, operations,
 * notes) once.
 *
 * The list hides records merged into another, and records no track credits any more that are not
 * a contact either (a split-off name whose tracks were re-credited, say).
 */
import { sql, type SQL } from 'drizzle-orm';
import { songwriterCards } from '~/server/contacts/songwriter-cards';
import { rows, type Executor } from '~/server/db/database';
import {
  contactNotes,
  contacts,
  playlists,
  playlistTracks,
  songwriterAliases,
  songwriterCredits,
  songwriterIdentityOps,
  songwriters,
  tracks,
  users,
  type SongwriterAliasKind,
} from '~/server/db/schema';
import { likePattern } from '~/server/tracks/explorer-conditions';
import { involvesLater, operationSummary } from './identity-ops';
import type { SongwritersListInput, SongwriterSortField } from './list-filter';
import { normalizeName } from './normalize-name';
import { classifyLabel } from './score-config';
import type { ContactNote, IdentityOperation, MergedSongwriter, PublisherStatus, SongwriterDetail, SongwriterSummary } from './types';

const DEFAULT_LIMIT = 50;
/** Tracks the detail lists (most streamed first); trackCount and the aggregates cover them all. */
const DETAIL_TRACKS = 500;
const DETAIL_OPERATIONS = 50;
const DETAIL_NOTES = 200;
/** How far a chain of merges is followed to the record that holds them now. */
const MAX_MERGE_HOPS = 20;

const sortColumns: Record<SongwriterSortField, SQL> = {
  score: sql`s.score`,
  name: sql`lower(s.name)`,
  streams: sql`s.total_streams`,
  tracks: sql`s.track_count`,
  firstSeen: sql`s.first_seen_at`,
  updated: sql`s.updated_at`,
};

export async function listSongwriters(db: Executor, workspaceId: string, input: SongwritersListInput = {}): Promise<{ items: SongwriterSummary[]; total: number }> {
  const from = sql`${songwriters} s LEFT JOIN ${contacts} c ON c.songwriter_id = s.id WHERE ${sql.join(listConditions(workspaceId, input), sql` AND `)}`;
  const sort = input.sort ?? 'score';
  const dir = sql.raw((input.dir ?? (sort === 'name' ? 'asc' : 'desc')).toUpperCase());
  const [page, counted] = await Promise.all([
    rows<{ id: string }>(
      db,
      sql`SELECT s.id FROM ${from} ORDER BY ${sortColumns[sort]} ${dir}, s.id ${dir} LIMIT ${input.limit ?? DEFAULT_LIMIT} OFFSET ${input.offset ?? 0}`,
    ),
    rows<{ total: number }>(db, sql`SELECT count(*)::int AS total FROM ${from}`),
  ]);
  return { items: await songwriterCards(db, workspaceId, page.map((row) => row.id)), total: Number(counted[0]?.total ?? 0) };
}

function listConditions(workspaceId: string, input: SongwritersListInput): SQL[] {
  const conditions = [sql`s.workspace_id = ${workspaceId}`, sql`s.merged_into_id IS NULL`, sql`(s.track_count > 0 OR c.songwriter_id IS NOT NULL)`];
  if (input.q) conditions.push(matchesText(workspaceId, input.q));
  // `score` is a float4: the bounds are compared as float4 too, so 7.3 matches a stored 7.3.
  if (input.scoreMin !== undefined) conditions.push(sql`s.score >= ${input.scoreMin}::real`);
  if (input.scoreMax !== undefined) conditions.push(sql`s.score <= ${input.scoreMax}::real`);
  if (input.publisherStatuses) conditions.push(sql`s.publisher_status = ANY(${sql.param(input.publisherStatuses)}::text[])`);
  if (input.stages) {
    const stages = input.stages.filter((stage) => stage !== 'none');
    const none = input.stages.includes('none') ? sql` OR c.songwriter_id IS NULL` : sql``;
    conditions.push(sql`(c.stage = ANY(${sql.param(stages)}::text[])${none})`);
  }
  if (input.ownerId === 'none') conditions.push(sql`c.owner_id IS NULL`);
  else if (input.ownerId) conditions.push(sql`c.owner_id = ${input.ownerId}`);
  if (input.contactsOnly) conditions.push(sql`c.songwriter_id IS NOT NULL`);
  return conditions;
}

/** The name, or any alias: its display, its key, or the key of the text normalised ("KNOWLES, BEYONCE" finds "Beyoncé Knowles"). */
function matchesText(workspaceId: string, q: string): SQL {
  const pattern = likePattern(q);
  const key = normalizeName(q)?.key;
  const byKey = key ? sql` OR a.key LIKE ${likePattern(key)}` : sql``;
  return sql`(s.name ILIKE ${pattern} OR EXISTS (SELECT 1 FROM ${songwriterAliases} a WHERE a.workspace_id = ${workspaceId} AND a.songwriter_id = s.id
    AND (a.display ILIKE ${pattern} OR a.key ILIKE ${pattern}${byKey})))`;
}

/** The songwriter in full; where it went when it was merged into another; null when it is not one of this workspace's. */
export async function getSongwriter(db: Executor, workspaceId: string, id: string): Promise<SongwriterDetail | MergedSongwriter | null> {
  const [record] = await rows<{ merged_into_id: string | null; score_breakdown: SongwriterDetail['breakdown']; scored_at: Date | string | null }>(
    db,
    sql`SELECT merged_into_id, score_breakdown, scored_at FROM ${songwriters} WHERE workspace_id = ${workspaceId} AND id = ${id}`,
  );
  if (!record) return null;
  if (record.merged_into_id) return { id, mergedInto: await survivorOf(db, workspaceId, record.merged_into_id) };
  const [[summary], aliasRecords, credited, playlistsOf, labelsDetail, publishers, operations, notes] = await Promise.all([
    songwriterCards(db, workspaceId, [id]),
    aliasesWithTracks(db, workspaceId, id),
    creditedTracks(db, workspaceId, id),
    playlistsOfCredited(db, workspaceId, id),
    labelsOf(db, workspaceId, id),
    publishersOf(db, workspaceId, id),
    operationsOf(db, workspaceId, id),
    notesOf(db, workspaceId, id),
  ]);
  return {
    ...summary!,
    breakdown: record.score_breakdown,
    scoredAt: record.scored_at === null ? null : new Date(record.scored_at).toISOString(),
    aliasRecords,
    tracks: credited.map((track) => ({ ...track, playlists: playlistsOf.byTrack.get(track.id) ?? [] })),
    playlists: playlistsOf.all,
    labelsDetail,
    publishers,
    operations,
    notes,
  };
}

/** The live record a merged one ended up in, following merges of merges. */
async function survivorOf(db: Executor, workspaceId: string, firstId: string): Promise<string> {
  const [row] = await rows<{ id: string }>(
    db,
    sql`WITH RECURSIVE chain(id, merged_into_id, hops) AS (
          SELECT id, merged_into_id, 0 FROM ${songwriters} WHERE workspace_id = ${workspaceId} AND id = ${firstId}
          UNION ALL
          SELECT s.id, s.merged_into_id, chain.hops + 1 FROM chain JOIN ${songwriters} s ON s.id = chain.merged_into_id
          WHERE s.workspace_id = ${workspaceId} AND chain.hops < ${MAX_MERGE_HOPS})
        SELECT id FROM chain ORDER BY hops DESC LIMIT 1`,
  );
  return row?.id ?? firstId;
}

/** Each alias with how many of the songwriter's tracks were credited under it (by name key, or with the IPI). */
function aliasesWithTracks(db: Executor, workspaceId: string, id: string): Promise<SongwriterDetail['aliasRecords']> {
  return rows<{ kind: SongwriterAliasKind; key: string; display: string; tracks: number }>(
    db,
    sql`SELECT a.kind, a.key, a.display,
          (SELECT count(DISTINCT c.track_id) FROM ${songwriterCredits} c WHERE c.songwriter_id = a.songwriter_id
             AND (CASE WHEN a.kind = 'name' THEN c.name_key = a.key ELSE c.ipi = a.key END))::int AS tracks
        FROM ${songwriterAliases} a WHERE a.workspace_id = ${workspaceId} AND a.songwriter_id = ${id}
        ORDER BY a.kind DESC, a.created_at, a.key`,
  );
}

type CreditedTrack = Omit<SongwriterDetail['tracks'][number], 'playlists'>;

async function creditedTracks(db: Executor, workspaceId: string, id: string): Promise<CreditedTrack[]> {
  const found = await rows<{ id: string; name: string; artist: string; label: string | null; isrc: string | null; streams: string | number | null; publisher_status: PublisherStatus; credited_as: string }>(
    db,
    sql`SELECT t.id, t.name, t.artist, t.label, t.isrc, t.streams, t.publisher_status, string_agg(DISTINCT c.credited_name, ' / ') AS credited_as
        FROM ${songwriterCredits} c JOIN ${tracks} t ON t.id = c.track_id
        WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ${id}
        GROUP BY t.id ORDER BY t.streams DESC NULLS LAST, lower(t.name), t.id LIMIT ${DETAIL_TRACKS}`,
  );
  return found.map((row) => ({
    id: row.id,
    name: row.name,
    artist: row.artist,
    label: row.label,
    isrc: row.isrc,
    streams: row.streams === null ? null : Number(row.streams),
    publisherStatus: row.publisher_status,
    creditedAs: row.credited_as,
  }));
}

/** The playlists of every credited track (by track, and with how many of their tracks each holds). */
async function playlistsOfCredited(db: Executor, workspaceId: string, id: string) {
  const found = await rows<{ track_id: string; playlist_id: string; name: string }>(
    db,
    sql`SELECT DISTINCT pt.track_id, p.id AS playlist_id, p.name FROM ${songwriterCredits} c
        JOIN ${playlistTracks} pt ON pt.track_id = c.track_id JOIN ${playlists} p ON p.id = pt.playlist_id
        WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ${id} AND pt.workspace_id = ${workspaceId}
        ORDER BY p.name, p.id`,
  );
  const byTrack = new Map<string, Array<{ id: string; name: string }>>();
  const all = new Map<string, { id: string; name: string; tracks: number }>();
  for (const row of found) {
    byTrack.set(row.track_id, [...(byTrack.get(row.track_id) ?? []), { id: row.playlist_id, name: row.name }]);
    const playlist = all.get(row.playlist_id) ?? { id: row.playlist_id, name: row.name, tracks: 0 };
    playlist.tracks++;
    all.set(row.playlist_id, playlist);
  }
  return { byTrack, all: [...all.values()].sort((a, b) => b.tracks - a.tracks) };
}

/** Each label of their tracks with its release pathway (score-config.ts: the label, and whether it is the artist's own). */
async function labelsOf(db: Executor, workspaceId: string, id: string): Promise<SongwriterDetail['labelsDetail']> {
  const found = await rows<{ label: string; artist: string; tracks: number }>(
    db,
    sql`SELECT t.label, t.artist, count(DISTINCT t.id)::int AS tracks FROM ${songwriterCredits} c JOIN ${tracks} t ON t.id = c.track_id
        WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ${id} AND nullif(trim(t.label), '') IS NOT NULL
        GROUP BY t.label, t.artist ORDER BY tracks DESC, lower(t.label)`,
  );
  // A label released by several artists: one entry, its pathway as its most frequent artist's.
  const byLabel = new Map<string, SongwriterDetail['labelsDetail'][number]>();
  for (const row of found) {
    const known = byLabel.get(row.label);
    if (known) known.tracks += row.tracks;
    else byLabel.set(row.label, { label: row.label, tracks: row.tracks, pathway: classifyLabel(row.label, row.artist) });
  }
  return [...byLabel.values()].sort((a, b) => b.tracks - a.tracks);
}

/** The publishers holding a share of their works (as phase 4 stored them), with how many works each. */
function publishersOf(db: Executor, workspaceId: string, id: string): Promise<SongwriterDetail['publishers']> {
  // A share stated as null counts when an administrator collects a share for it (as rights-phase.ts decides published).
  return rows<{ name: string; ipi: string | null; works: number }>(
    db,
    sql`SELECT p->>'name' AS name, p->>'ipi' AS ipi, count(DISTINCT coalesce(t.work_code, t.id))::int AS works
        FROM ${songwriterCredits} c JOIN ${tracks} t ON t.id = c.track_id CROSS JOIN LATERAL jsonb_array_elements(coalesce(t.publishers, '[]'::jsonb)) p
        WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ${id} AND CASE WHEN p->>'share' IS NULL
          THEN EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(p->'administrators', '[]'::jsonb)) a WHERE coalesce((a->>'share')::float8, 0) > 0)
          ELSE (p->>'share')::float8 > 0 END
        GROUP BY 1, 2 ORDER BY works DESC, lower(p->>'name')`,
  );
}

/** Merges and splits that involved the songwriter, newest first, each saying whether it can be undone now. */
async function operationsOf(db: Executor, workspaceId: string, id: string): Promise<IdentityOperation[]> {
  const found = await rows<{
    id: string;
    kind: 'merge' | 'split';
    songwriter_id: string;
    other_ids: string[];
    by: string | null;
    by_name: string | null;
    created_at: Date | string;
    undone_at: Date | string | null;
    undoable: boolean;
  }>(
    db,
    sql`SELECT o.id, o.kind, o.songwriter_id, o.other_ids, o.by, u.name AS by_name, o.created_at, o.undone_at,
          (o.undone_at IS NULL AND NOT EXISTS (SELECT 1 FROM ${songwriterIdentityOps} later WHERE ${involvesLater('o', 'later')})) AS undoable
        FROM ${songwriterIdentityOps} o LEFT JOIN ${users} u ON u.id = o.by
        WHERE o.workspace_id = ${workspaceId} AND (jsonb_build_array(o.songwriter_id) || o.other_ids) ? ${id}
        ORDER BY o.created_at DESC LIMIT ${DETAIL_OPERATIONS}`,
  );
  const ids = [...new Set(found.flatMap((op) => [op.songwriter_id, ...op.other_ids]))];
  const names = new Map(
    (ids.length === 0 ? [] : await rows<{ id: string; name: string }>(db, sql`SELECT id, name FROM ${songwriters} WHERE id = ANY(${sql.param(ids)}::text[])`)).map((row) => [row.id, row]),
  );
  return found.map((op) => ({
    id: op.id,
    kind: op.kind,
    summary: operationSummary({ kind: op.kind, songwriterId: op.songwriter_id, otherIds: op.other_ids }, names),
    by: op.by,
    byName: op.by_name,
    at: new Date(op.created_at).toISOString(),
    undoneAt: op.undone_at === null ? null : new Date(op.undone_at).toISOString(),
    undoable: op.undoable,
  }));
}

async function notesOf(db: Executor, workspaceId: string, id: string): Promise<ContactNote[]> {
  const found = await rows<{ id: string; body: string; by: string | null; by_name: string | null; created_at: Date | string }>(
    db,
    sql`SELECT n.id, n.body, n.by, u.name AS by_name, n.created_at FROM ${contactNotes} n LEFT JOIN ${users} u ON u.id = n.by
        WHERE n.workspace_id = ${workspaceId} AND n.songwriter_id = ${id} ORDER BY n.created_at DESC, n.id LIMIT ${DETAIL_NOTES}`,
  );
  return found.map((note) => ({ id: note.id, body: note.body, by: note.by, byName: note.by_name, at: new Date(note.created_at).toISOString() }));
}
