/**
 * What the track explorer can ask for: a filter (every field optional, all given fields must
 * hold) and a sort. The API, the saved views and the CSV export share these two schemas.
 */
import { z } from 'zod';
import { id } from '~/server/api/inputs';

const count = z.number().int().nonnegative();
const popularity = z.number().int().min(0).max(100);

export const explorerFilter = z
  .object({
    /** Case-insensitive substring of the name, artist, album, ISRC, label, a songwriter or a producer. */
    q: z.string().trim().max(200).optional(),
    /** Any of these labels (exact, case-insensitive). */
    labels: z.array(z.string().max(200)).max(50).optional(),
    /** No label (null or ''); with `labels`, a track matching either is in. */
    noLabel: z.boolean().optional(),
    statuses: z.array(z.enum(['pending', 'enriching', 'completed', 'failed'])).max(4).optional(),
    hasIsrc: z.boolean().optional(),
    /** Songwriters or producers known (non-empty); false: neither. */
    hasCredits: z.boolean().optional(),
    streamsMin: count.optional(),
    streamsMax: count.optional(),
    popularityMin: popularity.optional(),
    popularityMax: popularity.optional(),
    /** On any of these playlists. */
    playlistIds: z.array(id).max(50).optional(),
    /** Tagged with any of these tags. */
    tagIds: z.array(id).max(50).optional(),
    /**
     * The Monday (UTC) of the ISO week in which the track was first seen on a tracked playlist.
     * Any other day names the week it falls in.
     */
    firstSeenWeek: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    publisherStatuses: z.array(z.enum(['published', 'unpublished', 'unknown'])).max(3).optional(),
  })
  .strict();

export type ExplorerFilter = z.infer<typeof explorerFilter>;

export const explorerSortFields = ['name', 'artist', 'label', 'streams', 'popularity', 'releaseDate', 'firstSeenAt', 'enrichedAt'] as const;
export type ExplorerSortField = (typeof explorerSortFields)[number];

/** Nulls always sort last, whichever the direction; ties are broken by id. */
export const explorerSort = z
  .object({
    field: z.enum(explorerSortFields),
    dir: z.enum(['asc', 'desc']),
  })
  .strict();

export type ExplorerSort = z.infer<typeof explorerSort>;

export const defaultExplorerSort: ExplorerSort = { field: 'firstSeenAt', dir: 'desc' };

/** `tracks.explore`'s input (the export takes filter and sort alone). */
export const explorerPageInput = z
  .object({
    filter: explorerFilter.optional(),
    sort: explorerSort.optional(),
    /** The previous page's nextCursor, unchanged; absent or null for the first page. */
    cursor: z.string().max(64_000).nullish(),
    limit: z.number().int().min(1).max(500).default(100),
    /** Only these tracks, still through the filter: an id missing from the answer no longer matches. */
    trackIds: z.array(id).max(500).optional(),
  })
  .strict()
  .default({ limit: 100 });
