/**
 * The one Drizzle schema for both engines (PGlite embedded, Postgres via DATABASE_URL).
 * `npm run db:generate` turns a change here into a committed SQL migration under drizzle/.
 *
 * Every row a user owns carries its workspaceId; queries always filter on it.
 */
import { sql, type AnyColumn } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './auth-schema';
import type { ContactHandles, ScoreBreakdown } from '../songwriters/types';

const id = () =>
  text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const workspaceId = () =>
  text('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/** Facts about the database itself: its event epoch, the outbox floor. */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * A workspace is Better Auth's organization (its model is mapped onto this table, see
 * auth/auth.ts): members, invitations and API keys are in auth-schema.ts.
 */
export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  logo: text('logo'),
  metadata: text('metadata'),
  /** The one workspace of a database from before sign-in existed; its first account adopts it. */
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: createdAt(),
});

export const playlistFetchStatuses = ['pending', 'fetched'] as const;
export type PlaylistFetchStatus = (typeof playlistFetchStatuses)[number];

export const playlists = pgTable(
  'playlists',
  {
    id: id(),
    workspaceId: workspaceId(),
    spotifyId: text('spotify_id').notNull(),
    name: text('name').notNull().default(''),
    curator: text('curator'),
    description: text('description'),
    imageUrl: text('image_url'),
    followers: integer('followers'),
    trackCount: integer('track_count').notNull().default(0),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    /** Latest recomputed metrics (also streamed as metric_update). */
    metrics: jsonb('metrics').$type<PlaylistMetrics | null>(),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    lastFetchedAt: timestamp('last_fetched_at', { withTimezone: true, mode: 'date' }),
    /**
     * `pending` while an import's fetch job has yet to bring its metadata and tracks (the import
     * writes the playlist at intake, the job queue fetches it); a fetch that fails removes it.
     */
    fetchStatus: text('fetch_status', { enum: playlistFetchStatuses }).notNull().default('fetched'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('playlists_workspace_spotify').on(t.workspaceId, t.spotifyId)],
);

export const trackStatuses = ['pending', 'enriching', 'completed', 'failed'] as const;
export type TrackStatus = (typeof trackStatuses)[number];

// Rights (issue 15): a track's work, writers and publishers (phase 4).
export const publisherStatuses = ['published', 'unpublished', 'unknown'] as const;
export type PublisherStatus = (typeof publisherStatuses)[number];
export interface RightsWriter {
  name: string;
  ipi: string | null;
  /** The provider's role code (The MLC: CA composer/author, C composer, A author, ...). */
  role: string | null;
}
export interface RightsHolder {
  name: string;
  ipi: string | null;
  /** Collection share in percent (0-100); null when the provider does not say. */
  share: number | null;
}
export interface RightsPublisher extends RightsHolder {
  administrators: RightsHolder[];
}

export const tracks = pgTable(
  'tracks',
  {
    id: id(),
    workspaceId: workspaceId(),
    spotifyId: text('spotify_id').notNull(),
    name: text('name').notNull(),
    artist: text('artist').notNull(),
    album: text('album'),
    isrc: text('isrc'),
    label: text('label'),
    releaseDate: text('release_date'),
    popularity: integer('popularity'),
    durationMs: integer('duration_ms'),
    explicit: boolean('explicit'),
    artworkUrl: text('artwork_url'),
    songwriters: jsonb('songwriters').$type<string[]>(),
    producers: jsonb('producers').$type<string[]>(),
    streams: bigint('streams', { mode: 'number' }),
    playlistReach: integer('playlist_reach'),
    enrichmentStatus: text('enrichment_status', { enum: trackStatuses }).notNull().default('pending'),
    enrichmentError: text('enrichment_error'),
    enrichedAt: timestamp('enriched_at', { withTimezone: true, mode: 'date' }),
    /**
     * The job enriching this track now. A claim holds while that job is `running` (its lease is
     * the claim's): no other job enriches the track meanwhile (tracks/track-claims.ts).
     */
    enrichingJobId: text('enriching_job_id'),
    // ---- Rights (issue 15, phase 4): the musical work behind the recording, from the rights provider.
    /** The rights provider's work code (The MLC's song code). */
    workCode: text('work_code'),
    iswc: text('iswc'),
    writers: jsonb('writers').$type<RightsWriter[]>(),
    publishers: jsonb('publishers').$type<RightsPublisher[]>(),
    /** `unpublished`: a work was found but no publisher holds a share of it; `unknown`: no work found (or not checked yet). */
    publisherStatus: text('publisher_status', { enum: publisherStatuses }).notNull().default('unknown'),
    rightsCheckedAt: timestamp('rights_checked_at', { withTimezone: true, mode: 'date' }),
    // ---- end of rights
    // ---- Weekly history (issue 14)
    /**
     * When the track was first `added` to a tracked playlist of the workspace (its first
     * playlist_track_changes row, written in the same transaction: history/record-membership-changes.ts).
     */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    // ---- end of weekly history
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tracks_workspace_spotify').on(t.workspaceId, t.spotifyId),
    index('tracks_workspace_status').on(t.workspaceId, t.enrichmentStatus),
    // A job's claims, found when it ends; only tracks being enriched are in it.
    index('tracks_enriching_job').on(t.enrichingJobId).where(sql`${t.enrichingJobId} IS NOT NULL`),
    // ---- Explorer (issue 14): one index per sort key, (workspace, key, id) as its keyset pages
    // run; a descending page with nulls last reads the same index backwards (tracks/explorer-sort.ts).
    // Each key is spelt as the explorer's queries spell it, or the planner will not match them.
    // Also "first seen in week" (the firstSeenWeek filter) and the default sort.
    index('tracks_explorer_first_seen').on(t.workspaceId, t.firstSeenAt, t.id),
    index('tracks_explorer_name').on(t.workspaceId, sql`lower(${t.name})`, t.id),
    index('tracks_explorer_artist').on(t.workspaceId, sql`lower(${t.artist})`, t.id),
    index('tracks_explorer_label').on(t.workspaceId, sql`nullif(lower(${t.label}), '')`, t.id),
    index('tracks_explorer_streams').on(t.workspaceId, t.streams, t.id),
    index('tracks_explorer_popularity').on(t.workspaceId, t.popularity, t.id),
    index('tracks_explorer_release').on(t.workspaceId, sql`nullif(${t.releaseDate}, '')`, t.id),
    index('tracks_explorer_enriched').on(t.workspaceId, t.enrichedAt, t.id),
    // Substring search (ILIKE '%…%') over the text a person may look for; pg_trgm, created in the migration.
    index('tracks_explorer_search').using('gin', sql`(${searchTextOf(t)}) gin_trgm_ops`),
    // ---- end of explorer
  ],
);

/**
 * What the explorer's text search looks in: name, artist, album, ISRC, label, songwriters and
 * producers, in one string (fields apart by U+001F, which nobody types) that a trigram index
 * covers. Only immutable operators: concat_ws is not, so it cannot be indexed.
 */
function searchTextOf(t: { name: AnyColumn; artist: AnyColumn; album: AnyColumn; isrc: AnyColumn; label: AnyColumn; songwriters: AnyColumn; producers: AnyColumn }) {
  const part = (column: AnyColumn) => sql`coalesce(${column}, '')`;
  const credits = (column: AnyColumn) => sql`coalesce(${column}::text, '')`;
  return sql`${t.name} || chr(31) || ${t.artist} || chr(31) || ${part(t.album)} || chr(31) || ${part(t.isrc)} || chr(31) || ${part(t.label)} || chr(31) || ${credits(t.songwriters)} || chr(31) || ${credits(t.producers)}`;
}

/** The explorer's search text of a track (the trigram index's expression). */
export const trackSearchText = sql`(${searchTextOf(tracks)})`;

export const playlistTracks = pgTable(
  'playlist_tracks',
  {
    workspaceId: workspaceId(),
    playlistId: text('playlist_id')
      .notNull()
      .references(() => playlists.id, { onDelete: 'cascade' }),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.playlistId, t.trackId] }), index('playlist_tracks_track').on(t.trackId)],
);

export const jobStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * What a job does: `enrich` runs phases 1-4 over tracks; `fetch` is phase 0, an imported
 * playlist's metadata and tracks. Each kind has its own worker loops, so a long import's fetches
 * and the enrichment they lead to run side by side.
 */
export const jobKinds = ['enrich', 'fetch'] as const;
export type JobKind = (typeof jobKinds)[number];

export const enrichmentJobs = pgTable(
  'enrichment_jobs',
  {
    id: id(),
    workspaceId: workspaceId(),
    playlistId: text('playlist_id').references(() => playlists.id, { onDelete: 'cascade' }),
    /** Set for a job over chosen tracks (re-enrich); null means the playlist's tracks that need it. */
    trackIds: jsonb('track_ids').$type<string[] | null>(),
    phases: jsonb('phases').$type<number[]>().notNull().default([1, 2, 3, 4]),
    kind: text('kind', { enum: jobKinds }).notNull().default('enrich'),
    /** Lower is claimed first: interactive work (0) before an import's bulk work (see jobs/job-priority.ts). */
    priority: integer('priority').notNull().default(0),
    /** The import whose row a fetch job settles. */
    importId: text('import_id').references(() => imports.id, { onDelete: 'cascade' }),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    phase: integer('phase'),
    attempt: integer('attempt').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAfter: timestamp('run_after', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    /** Asked for by a person (re-enrich): enriches tracks even if enriched within TRACK_FRESHNESS_MS. */
    force: boolean('force').notNull().default(false),
    tracksTotal: integer('tracks_total').notNull().default(0),
    tracksDone: integer('tracks_done').notNull().default(0),
    tracksFailed: integer('tracks_failed').notNull().default(0),
    /** Tracks this job left alone: another job was enriching them, or they were fresh enough. */
    tracksSkipped: integer('tracks_skipped').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_claim').on(t.status, t.runAfter),
    index('jobs_claim_by_kind').on(t.kind, t.status, t.priority, t.runAfter),
    index('jobs_workspace_status').on(t.workspaceId, t.status),
    index('jobs_playlist').on(t.playlistId),
    index('jobs_import').on(t.importId, t.status),
  ],
);

export const activity = pgTable(
  'activity',
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    playlistId: text('playlist_id'),
    jobId: text('job_id'),
    importId: text('import_id'),
    trackId: text('track_id'),
    createdAt: createdAt(),
  },
  (t) => [index('activity_workspace_created').on(t.workspaceId, t.createdAt)],
);

export const importStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const imports = pgTable(
  'imports',
  {
    id: id(),
    workspaceId: workspaceId(),
    filename: text('filename'),
    status: text('status', { enum: importStatuses }).notNull().default('queued'),
    /** The uploaded file, kept so an interrupted import can resume after a restart. */
    csv: text('csv').notNull(),
    total: integer('total'),
    processed: integer('processed').notNull().default(0),
    created: integer('created').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    /** The last data row whose outcome is committed; resume starts after it. */
    lastRow: integer('last_row').notNull().default(0),
    /** New playlists intake queued for fetching; each ends fetched or fetchFailed (a fetchFailed row also counts in failed). */
    toFetch: integer('to_fetch').notNull().default(0),
    fetched: integer('fetched').notNull().default(0),
    fetchFailed: integer('fetch_failed').notNull().default(0),
    /** Set when intake has read every row (or stopped on a cancel); the import finishes once its fetches settle too. */
    rowsReadAt: timestamp('rows_read_at', { withTimezone: true, mode: 'date' }),
    /** The process reading the rows now, and until when its lease holds (imports/import-lease.ts). */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    updatedAt: updatedAt(),
  },
  (t) => [index('imports_workspace_created').on(t.workspaceId, t.createdAt), index('imports_status_lease').on(t.status, t.leaseExpiresAt)],
);

/**
 * The processes that do work against this database (web instances and workers), each with a
 * heartbeat: a cluster-wide limit is shared out among the live ones (cluster/cluster-members.ts).
 */
export const clusterMembers = pgTable('cluster_members', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['web', 'worker'] }).notNull(),
  /** Providers this member calls (fetch or enrichment loops running), so only they share the rate. */
  callsProviders: boolean('calls_providers').notNull().default(false),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const importRowOutcomes = ['created', 'duplicate', 'failed'] as const;

export const importRows = pgTable(
  'import_rows',
  {
    workspaceId: workspaceId(),
    importId: text('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    rawValue: text('raw_value').notNull(),
    outcome: text('outcome', { enum: importRowOutcomes }).notNull(),
    reason: text('reason'),
    playlistId: text('playlist_id'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNumber] }),
    index('import_rows_outcome').on(t.importId, t.outcome, t.rowNumber),
  ],
);

export const playlistMetricSnapshots = pgTable(
  'playlist_metric_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    playlistId: text('playlist_id')
      .notNull()
      .references(() => playlists.id, { onDelete: 'cascade' }),
    followers: integer('followers'),
    metrics: jsonb('metrics').$type<PlaylistMetrics | null>(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('metric_snapshots_playlist_at').on(t.playlistId, t.at)],
);

export const analyticsCache = pgTable('analytics_cache', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  data: jsonb('data').notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * The durable-event outbox. A row is written in the same transaction as the state change it
 * describes; `seq` is the resumable position (the id a client sees is `${epoch}:${seq}`).
 * Writers take an advisory lock before inserting so that seq order is commit order.
 */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    type: text('type').notNull(),
    keys: jsonb('keys').$type<Record<string, string>>().notNull(),
    data: jsonb('data').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [index('events_workspace_seq').on(t.workspaceId, t.seq)],
);

// ---- Workbench: tags, saved views, per-track history (issue 14) -------------------------------

/** A workspace's labels for tracks ("focus", "pitched"); names are unique regardless of case. */
export const tags = pgTable(
  'tags',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** One of tags/tag-colors.ts `tagColors`. */
    color: text('color').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('tags_workspace_name').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const trackTags = pgTable(
  'track_tags',
  {
    workspaceId: workspaceId(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    tagId: text('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    /** The person who tagged it; null for an API key. Not a foreign key: the tag outlives the account. */
    createdBy: text('created_by'),
  },
  // The (tag, track) index serves "tracks with this tag" (the explorer's tag filter, a tag's count).
  (t) => [primaryKey({ columns: [t.trackId, t.tagId] }), index('track_tags_tag_track').on(t.tagId, t.trackId)],
);

/** A person's saved explorer queries; private to them (another member never sees them). */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The explorer URL's query string, e.g. `q=love&statuses=completed&sort=streams.desc`. */
    query: text('query').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('saved_views_owner_name').on(t.workspaceId, t.userId, t.name)],
);

export const trackHistoryKinds = ['enriched', 'failed', 'reenrich_requested', 'note', 'tagged', 'untagged'] as const;
export type TrackHistoryKind = (typeof trackHistoryKinds)[number];

/**
 * What happened to one track, for its detail page: written in the transaction of the change it
 * records (tracks/track-history.ts). Membership changes live in the playlists' own record.
 */
export const trackHistory = pgTable(
  'track_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: trackHistoryKinds }).notNull(),
    message: text('message').notNull(),
    jobId: text('job_id'),
    playlistId: text('playlist_id'),
    /** The person who did it; null for the worker or an API key. */
    by: text('by'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('track_history_track_at').on(t.trackId, t.at.desc())],
);

// ---- Weekly history: playlist membership changes (issue 14) -----------------------------------

export const membershipChanges = ['added', 'dropped'] as const;
export type MembershipChange = (typeof membershipChanges)[number];

/**
 * Every change of a playlist's membership, written by the fetch that saw it (add, import, refresh
 * by hand or on schedule: history/record-membership-changes.ts); a playlist's first fetch records
 * each of its tracks `added`. `position` is the track's place after an add, before a drop.
 */
export const playlistTrackChanges = pgTable(
  'playlist_track_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: workspaceId(),
    playlistId: text('playlist_id')
      .notNull()
      .references(() => playlists.id, { onDelete: 'cascade' }),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    change: text('change', { enum: membershipChanges }).notNull(),
    position: integer('position'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('playlist_track_changes_playlist_at').on(t.playlistId, t.at), index('playlist_track_changes_track').on(t.trackId)],
);

// ---- Songwriters, unsigned score and contacts (issue 15) ---------------------------------------

/**
 * A person who writes songs, as the workspace knows them: built from the credit names of its
 * tracks (MusicBrainz songwriters, The MLC's writers), one record per person. Which names and IPIs
 * are this person is `songwriter_aliases`; merging moves aliases, and a merged record stays (with
 * `merged_into_id`) so the merge can be undone. Score, publisher status and the totals are
 * derived from the credited tracks (songwriters/rescore.ts), in the transaction that changed them.
 */
export const songwriters = pgTable(
  'songwriters',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** Display name: the first credited form seen, written as "First Last". */
    name: text('name').notNull(),
    /** Set while merged into another songwriter; such a record is hidden from lists and holds no aliases. */
    mergedIntoId: text('merged_into_id'),
    /** The unsigned score, 0-10 (one decimal), and how it was reached. */
    score: real('score').notNull().default(0),
    scoreBreakdown: jsonb('score_breakdown').$type<ScoreBreakdown>(),
    scoredAt: timestamp('scored_at', { withTimezone: true, mode: 'date' }),
    /** Over the songwriter's works: `published` if any has a publisher, `unpublished` if some were found and none has, else `unknown`. */
    publisherStatus: text('publisher_status', { enum: publisherStatuses }).notNull().default('unknown'),
    trackCount: integer('track_count').notNull().default(0),
    totalStreams: bigint('total_streams', { mode: 'number' }).notNull().default(0),
    /** When the workspace first stored a track credited to them. */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('songwriters_workspace_score').on(t.workspaceId, t.score, t.id),
    index('songwriters_workspace_name').on(t.workspaceId, sql`lower(${t.name})`, t.id),
  ],
);

export const songwriterAliasKinds = ['name', 'ipi'] as const;
export type SongwriterAliasKind = (typeof songwriterAliasKinds)[number];

/**
 * The identity map: a normalised name (`kind` name, `key` from songwriters/normalize-name.ts) or
 * an IPI name number (`kind` ipi) and the songwriter it is. One owner per key in a workspace.
 */
export const songwriterAliases = pgTable(
  'songwriter_aliases',
  {
    workspaceId: workspaceId(),
    kind: text('kind', { enum: songwriterAliasKinds }).notNull(),
    key: text('key').notNull(),
    /** The name as it was first credited (for an IPI: the name it came with). */
    display: text('display').notNull(),
    songwriterId: text('songwriter_id')
      .notNull()
      .references(() => songwriters.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind, t.key] }), index('songwriter_aliases_songwriter').on(t.songwriterId)],
);

export const creditSources = ['musicbrainz', 'mlc'] as const;
export type CreditSource = (typeof creditSources)[number];

/** A track credits a songwriter: rebuilt for a track each time its enrichment completes. */
export const songwriterCredits = pgTable(
  'songwriter_credits',
  {
    workspaceId: workspaceId(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    /** The normalised name credited (a track credits a name once whatever its sources). */
    nameKey: text('name_key').notNull(),
    songwriterId: text('songwriter_id')
      .notNull()
      .references(() => songwriters.id, { onDelete: 'cascade' }),
    creditedName: text('credited_name').notNull(),
    ipi: text('ipi'),
    /** Where the credit came from; `mlc` when the rights provider named the writer (with or without MusicBrainz). */
    source: text('source', { enum: creditSources }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.nameKey] }), index('songwriter_credits_songwriter').on(t.songwriterId, t.trackId)],
);

export const identityOperationKinds = ['merge', 'split'] as const;
export type IdentityOperationKind = (typeof identityOperationKinds)[number];

/**
 * A merge or split a person made, with what it moved, so it can be undone. `songwriterId` is the
 * survivor of a merge or the record split from; `otherIds` the merged records or the new one.
 */
export const songwriterIdentityOps = pgTable(
  'songwriter_identity_ops',
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text('kind', { enum: identityOperationKinds }).notNull(),
    songwriterId: text('songwriter_id').notNull(),
    otherIds: jsonb('other_ids').$type<string[]>().notNull(),
    /** What moved: alias keys (`kind:key`) and credits (`trackId` + `nameKey`), per record they came from. */
    moved: jsonb('moved').$type<IdentityMoves>().notNull(),
    by: text('by'),
    createdAt: createdAt(),
    undoneAt: timestamp('undone_at', { withTimezone: true, mode: 'date' }),
    undoneBy: text('undone_by'),
  },
  (t) => [index('songwriter_identity_ops_songwriter').on(t.workspaceId, t.songwriterId, t.createdAt)],
);

export interface IdentityMoves {
  /** Per source songwriter id: the aliases and credits moved away from it. */
  [fromSongwriterId: string]: {
    aliases: Array<{ kind: SongwriterAliasKind; key: string }>;
    credits: Array<{ trackId: string; nameKey: string }>;
    contact?: boolean;
    /** Ids of the contact notes moved (a merge takes the merged records' notes along). */
    notes?: string[];
  };
}

export const contactStages = ['new', 'researching', 'contacted', 'in_talks', 'signed', 'passed'] as const;
export type ContactStage = (typeof contactStages)[number];

/** A songwriter the team is pursuing: at most one contact per songwriter. */
export const contacts = pgTable(
  'contacts',
  {
    songwriterId: text('songwriter_id')
      .primaryKey()
      .references(() => songwriters.id, { onDelete: 'cascade' }),
    workspaceId: workspaceId(),
    stage: text('stage', { enum: contactStages }).notNull().default('new'),
    /** A member of the workspace who owns the lead; null when nobody does. */
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'set null' }),
    handles: jsonb('handles').$type<ContactHandles>().notNull().default({}),
    /** Order within the stage's column on the board, ascending. */
    position: doublePrecision('position').notNull().default(0),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('contacts_workspace_stage').on(t.workspaceId, t.stage, t.position)],
);

export const contactNotes = pgTable(
  'contact_notes',
  {
    id: id(),
    workspaceId: workspaceId(),
    songwriterId: text('songwriter_id')
      .notNull()
      .references(() => songwriters.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    by: text('by'),
    createdAt: createdAt(),
  },
  (t) => [index('contact_notes_songwriter').on(t.songwriterId, t.createdAt)],
);
// ---- end of songwriters

export interface PlaylistMetrics {
  trackCount: number;
  enriched: number;
  failed: number;
  enrichedShare: number;
  averagePopularity: number | null;
  totalStreams: number;
}

export * from './auth-schema';
