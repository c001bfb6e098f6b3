/**
 * The event catalog: the single source of truth for every event Linernotes publishes.
 * Schemas, TypeScript types, the subscriptions' type lists and the UI's handlers derive from
 * `catalog` below. Type strings keep the names of the old app's audit so the two can be traced.
 *
 * Durable events are written to the outbox in the transaction that makes the change, published
 * after commit, replayable by id, never coalesced or dropped. Volatile events carry a current
 * value (a counter, a percentage): the latest per `conflateKey` wins and they are throttled per
 * subscriber; the value also lives in the state tables, so a snapshot restores it.
 */
import { z } from 'zod';

const jobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
const trackStatus = z.enum(['pending', 'enriching', 'completed', 'failed']);
/** An enrichment job's phases, in the order they run: catalog, credits, stats, rights. */
export const enrichmentPhases = [1, 2, 3, 4] as const;
export type EnrichmentPhase = (typeof enrichmentPhases)[number];
const phase = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export const phaseNames = { 1: 'catalog', 2: 'credits', 3: 'stats', 4: 'rights' } as const satisfies Record<EnrichmentPhase, string>;
const publisherStatus = z.enum(['published', 'unpublished', 'unknown']);
const rightsHolder = z.object({ name: z.string(), ipi: z.string().nullable(), share: z.number().nullable() });

/**
 * An import's two stages. Rows read: processed of total, each created, duplicate or failed.
 * Playlists fetched: of the toFetch new playlists intake queued, fetched so far and fetchFailed
 * (missing, restricted, cancelled before its fetch); a fetchFailed row moves from created to
 * failed, so created + duplicates + failed is always processed.
 */
const importCounters = z.object({
  processed: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  toFetch: z.number().int().nonnegative(),
  fetched: z.number().int().nonnegative(),
  fetchFailed: z.number().int().nonnegative(),
});

const playlistMetrics = z.object({
  trackCount: z.number().int().nonnegative(),
  enriched: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  enrichedShare: z.number().min(0).max(1),
  averagePopularity: z.number().nullable(),
  totalStreams: z.number().nonnegative(),
});

const analytics = z.object({
  playlists: z.number().int().nonnegative(),
  tracks: z.number().int().nonnegative(),
  tracksByStatus: z.record(trackStatus, z.number().int().nonnegative()),
  jobsByStatus: z.record(jobStatus, z.number().int().nonnegative()),
  totalFollowers: z.number().nonnegative(),
  totalStreams: z.number().nonnegative(),
  topLabels: z.array(z.object({ label: z.string(), tracks: z.number().int() })),
});

/** What each event type's `data` holds, its delivery class, and (volatile) what it conflates on. */
export const catalog = {
  job_status_changed: {
    class: 'durable',
    data: z.object({
      jobId: z.string(),
      playlistId: z.string().nullable(),
      from: jobStatus.nullable(),
      to: jobStatus,
      attempt: z.number().int().nonnegative(),
      phase: phase.nullable(),
      error: z.string().nullable(),
      /** Set when a failed attempt will run again (retry with backoff). */
      retryAt: z.string().nullable(),
      /**
       * Tracks the job has left alone so far (another job was enriching them, or they were
       * enriched recently): the job's tracksSkipped. Absent in events written before it existed.
       */
      skipped: z.number().int().nonnegative().optional(),
    }),
  },
  enrichment_phase: {
    class: 'durable',
    data: z.object({
      jobId: z.string(),
      playlistId: z.string().nullable(),
      phase,
      name: z.enum(['catalog', 'credits', 'stats', 'rights']),
      state: z.enum(['started', 'completed', 'failed']),
      tracksTotal: z.number().int().nonnegative(),
      error: z.string().nullable(),
    }),
  },
  batch_complete: {
    class: 'durable',
    data: z.object({
      jobId: z.string(),
      playlistId: z.string().nullable(),
      phase,
      batch: z.number().int().nonnegative(),
      succeeded: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      /**
       * Tracks of this batch the job left alone (another job holds them, or they were enriched
       * recently); succeeded + failed + skipped is the batch. Absent in events written before it existed.
       */
      skipped: z.number().int().nonnegative().optional(),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    }),
  },
  track_status_changed: {
    class: 'durable',
    data: z.object({
      trackId: z.string(),
      jobId: z.string().nullable(),
      from: trackStatus,
      to: trackStatus,
      error: z.string().nullable(),
    }),
  },
  track_enriched: {
    class: 'durable',
    data: z.object({
      trackId: z.string(),
      jobId: z.string().nullable(),
      name: z.string(),
      artist: z.string(),
      found: z.object({
        isrc: z.string().nullable().optional(),
        label: z.string().nullable().optional(),
        releaseDate: z.string().nullable().optional(),
        popularity: z.number().nullable().optional(),
        songwriters: z.array(z.string()).nullable().optional(),
        producers: z.array(z.string()).nullable().optional(),
        streams: z.number().nullable().optional(),
        playlistReach: z.number().nullable().optional(),
        // Phase 4 (rights); absent in events written before it existed.
        workCode: z.string().nullable().optional(),
        iswc: z.string().nullable().optional(),
        writers: z.array(z.object({ name: z.string(), ipi: z.string().nullable(), role: z.string().nullable() })).nullable().optional(),
        publishers: z.array(rightsHolder.extend({ administrators: z.array(rightsHolder) })).nullable().optional(),
        publisherStatus: publisherStatus.optional(),
      }),
    }),
  },
  activity_logged: {
    class: 'durable',
    data: z.object({
      activityId: z.string(),
      kind: z.string(),
      message: z.string(),
      createdAt: z.string(),
    }),
  },
  playlist_updated: {
    class: 'durable',
    data: z.object({
      playlistId: z.string(),
      spotifyId: z.string(),
      /** Only the fields that changed, with their new values; `removed` when the playlist is gone. */
      changes: z.record(z.string(), z.unknown()),
      removed: z.boolean().default(false),
    }),
  },
  playlist_error: {
    class: 'durable',
    data: z.object({
      playlistId: z.string().nullable(),
      spotifyId: z.string().nullable(),
      input: z.string().nullable(),
      code: z.string(),
      message: z.string(),
    }),
  },
  bulk_import_progress: {
    class: 'volatile',
    conflateKey: 'importId',
    data: importCounters.extend({
      importId: z.string(),
      /** queued until a slot frees (a few imports run at once per workspace), then running. */
      status: z.enum(['queued', 'running']).optional(),
      rowsPerSecond: z.number().nonnegative(),
      /** Playlists fetched (or failed) per second since the import started. */
      fetchesPerSecond: z.number().nonnegative(),
      /** Until the last row is read and the last fetch settles, at the current rates. */
      etaSeconds: z.number().nonnegative().nullable(),
    }),
  },
  bulk_import_finished: {
    class: 'durable',
    data: importCounters.extend({
      importId: z.string(),
      status: z.enum(['completed', 'failed', 'cancelled']),
      durationMs: z.number().nonnegative(),
      error: z.string().nullable(),
    }),
  },
  chartmetric_progress: {
    class: 'volatile',
    conflateKey: 'jobId',
    data: z.object({
      jobId: z.string(),
      playlistId: z.string().nullable(),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    }),
  },
  metric_update: {
    class: 'volatile',
    conflateKey: 'playlistId',
    /** At most one per second per playlist reaches a subscriber (the old app's debounce). */
    minIntervalMs: 1000,
    data: z.object({ playlistId: z.string(), metrics: playlistMetrics }),
  },
  follower_count_changed: {
    class: 'volatile',
    conflateKey: 'playlistId',
    data: z.object({
      playlistId: z.string(),
      previous: z.number().int().nullable(),
      followers: z.number().int().nonnegative(),
    }),
  },
  analytics_updated: {
    class: 'volatile',
    conflateKey: 'workspaceId',
    data: z.object({ analytics, refreshedAt: z.string() }),
  },
  // ---- Workbench: tags, notes on tracks, saved views (issue 14) ----
  tag_changed: {
    class: 'durable',
    data: z.object({
      tagId: z.string(),
      name: z.string(),
      color: z.string(),
      change: z.enum(['created', 'updated', 'deleted']),
    }),
  },
  /** One per apply or unapply: the tracks whose tagging actually changed. */
  track_tags_changed: {
    class: 'durable',
    data: z.object({
      tagId: z.string(),
      name: z.string(),
      color: z.string(),
      action: z.enum(['tagged', 'untagged']),
      trackIds: z.array(z.string()),
    }),
  },
  track_noted: {
    class: 'durable',
    data: z.object({
      trackId: z.string(),
      /** The note's id in the track's history (tracks.detail). */
      itemId: z.string(),
      message: z.string(),
      by: z.string().nullable(),
      at: z.string(),
    }),
  },
  /** A person's own saved view; only that person's streams carry it (their other tabs). */
  saved_view_changed: {
    class: 'durable',
    data: z.object({
      viewId: z.string(),
      userId: z.string(),
      name: z.string(),
      query: z.string().nullable(),
      removed: z.boolean(),
    }),
  },
  // ---- Weekly history (issue 14) ----
  /**
   * A fetch (add, import, refresh by hand or on schedule) changed a playlist's membership: the
   * track ids added and dropped, and the ISO week (its Monday, UTC) the change is recorded in.
   */
  playlist_tracks_changed: {
    class: 'durable',
    data: z.object({
      playlistId: z.string(),
      added: z.array(z.string()),
      dropped: z.array(z.string()),
      week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
  },
  // ---- Songwriters, unsigned score and contacts (issue 15) ----
  /**
   * A songwriter's unsigned score or publisher status changed (a track of theirs finished
   * enrichment, a merge or split, a rescore): the new value and its breakdown.
   */
  songwriter_score_changed: {
    class: 'durable',
    data: z.object({
      songwriterId: z.string(),
      name: z.string(),
      score: z.number().min(0).max(10),
      previous: z.number().min(0).max(10).nullable(),
      publisherStatus,
      trackCount: z.number().int().nonnegative(),
      totalStreams: z.number().nonnegative(),
      categories: z.array(z.object({ key: z.string(), label: z.string(), points: z.number(), max: z.number(), evidence: z.array(z.string()) })),
    }),
  },
  /**
   * A person merged songwriter records, split one, or undid either. `songwriterId` is the survivor
   * of a merge or the record split from; `otherIds` the records merged into it or split off.
   */
  songwriter_merged: {
    class: 'durable',
    data: z.object({
      operationId: z.string(),
      kind: z.enum(['merge', 'split']),
      action: z.enum(['done', 'undone']),
      songwriterId: z.string(),
      otherIds: z.array(z.string()),
      summary: z.string(),
      by: z.string().nullable(),
    }),
  },
  /** A contact was created, moved (stage, place on the board), given an owner or handles, or removed: its state after. */
  contact_changed: {
    class: 'durable',
    data: z.object({
      songwriterId: z.string(),
      name: z.string(),
      change: z.enum(['created', 'moved', 'updated', 'removed']),
      stage: z.enum(['new', 'researching', 'contacted', 'in_talks', 'signed', 'passed']),
      previousStage: z.enum(['new', 'researching', 'contacted', 'in_talks', 'signed', 'passed']).nullable(),
      ownerId: z.string().nullable(),
      ownerName: z.string().nullable(),
      handles: z.record(z.string(), z.string()),
      position: z.number(),
      by: z.string().nullable(),
    }),
  },
  contact_noted: {
    class: 'durable',
    data: z.object({
      songwriterId: z.string(),
      noteId: z.string(),
      body: z.string(),
      by: z.string().nullable(),
      byName: z.string().nullable(),
      at: z.string(),
    }),
  },
} as const satisfies Record<string, EventSpec>;

interface EventSpec {
  class: 'durable' | 'volatile';
  data: z.ZodType;
  conflateKey?: 'jobId' | 'playlistId' | 'importId' | 'workspaceId';
  minIntervalMs?: number;
}

export type Catalog = typeof catalog;
export type EventType = keyof Catalog;
export type EventData<T extends EventType> = z.infer<Catalog[T]['data']>;
export type DurableType = { [T in EventType]: Catalog[T]['class'] extends 'durable' ? T : never }[EventType];
export type VolatileType = Exclude<EventType, DurableType>;

export const eventTypes = Object.keys(catalog) as EventType[];
export const isDurable = (type: EventType): type is DurableType => catalog[type].class === 'durable';

export const eventKeys = z
  .object({
    jobId: z.string().optional(),
    playlistId: z.string().optional(),
    trackId: z.string().optional(),
    importId: z.string().optional(),
    songwriterId: z.string().optional(),
  })
  .strict();
export type EventKeys = z.infer<typeof eventKeys>;

/**
 * The one envelope every event travels in. `id` is `${epoch}:${seq}` for a durable event (its
 * outbox position, resumable). A volatile event's id is `${epoch}:v${n}`: a name, not a position,
 * and no client can resume from it; a subscription message carrying a volatile event is tracked
 * by the subscriber's last durable position, which is the id to resume from.
 */
export type Envelope<T extends EventType = EventType> = {
  [K in T]: {
    id: string;
    type: K;
    at: string;
    workspaceId: string;
    keys: EventKeys;
    data: EventData<K>;
  };
}[T];

/** What a producer hands over: the envelope less what the bus assigns (id, at). */
export type EventInput<T extends EventType = EventType> = {
  [K in T]: { type: K; workspaceId: string; keys: EventKeys; data: EventData<K> };
}[T];

/** Parse a producer's event against the catalog; a producer bug fails loudly, never on the wire. */
export function parseEventInput<T extends EventType>(input: EventInput<T>): EventInput<T> {
  const spec = catalog[input.type];
  return {
    type: input.type,
    workspaceId: input.workspaceId,
    keys: eventKeys.parse(input.keys),
    data: spec.data.parse(input.data),
  } as EventInput<T>;
}

/** The key volatile events conflate on: one pending value per (type, key) per subscriber. */
export function conflationKey(envelope: Envelope): string {
  const spec: EventSpec = catalog[envelope.type];
  const field = spec.conflateKey;
  const value = field === 'workspaceId' ? envelope.workspaceId : field ? envelope.keys[field] : undefined;
  return `${envelope.type}:${value ?? ''}`;
}

export function minIntervalMs(type: EventType): number | undefined {
  const spec: EventSpec = catalog[type];
  return spec.minIntervalMs;
}
