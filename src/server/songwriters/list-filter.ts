/**
 * What the songwriters list can ask for: a filter (every field optional, all given fields must
 * hold), a sort and a page. The leads export (leads-export.ts) parses the same input, so a
 * download holds what the list showed, in its order.
 */
import { z } from 'zod';
import { id } from '~/server/api/inputs';
import { contactStages, publisherStatuses } from '~/server/db/schema';

const score = z.number().min(0, 'scores run from 0 to 10').max(10, 'scores run from 0 to 10');

export const songwriterSortFields = ['score', 'name', 'streams', 'tracks', 'firstSeen', 'updated'] as const;
export type SongwriterSortField = (typeof songwriterSortFields)[number];

/** `songwriters.list`'s input; the leads export takes it too and ignores the page (limit, offset). */
export const songwritersListInput = z
  .object({
    /** Case-insensitive substring of the name, a name they are credited as, or an IPI. */
    q: z.string().trim().max(200, 'Keep the search to 200 characters').optional(),
    scoreMin: score.optional(),
    scoreMax: score.optional(),
    publisherStatuses: z.array(z.enum(publisherStatuses, `publisher statuses are ${publisherStatuses.join(', ')}`)).max(3).optional(),
    /** Contact stages; "none" is songwriters who are not a contact. */
    stages: z.array(z.enum([...contactStages, 'none'], `stages are ${contactStages.join(', ')} or none`)).max(contactStages.length + 1).optional(),
    /** A member's user id: contacts they own; "none": songwriters nobody owns (contacts without an owner, and non-contacts). */
    ownerId: id.optional(),
    contactsOnly: z.boolean().optional(),
    sort: z.enum(songwriterSortFields, `sort by one of ${songwriterSortFields.join(', ')}`).optional(),
    /** Descending by default, except by name. */
    dir: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1, 'limit is 1 to 200').max(200, 'limit is 1 to 200').optional(),
    offset: z.number().int().min(0).max(1_000_000, 'offset is at most 1,000,000').optional(),
  })
  .strict()
  .refine((input) => input.scoreMin === undefined || input.scoreMax === undefined || input.scoreMin <= input.scoreMax, 'scoreMin must not be above scoreMax');
export type SongwritersListInput = z.infer<typeof songwritersListInput>;
