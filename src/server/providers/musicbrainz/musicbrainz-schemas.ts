/** The parts of MusicBrainz web service (ws/2, JSON) answers we read. */
import { z } from 'zod';

export const isrcLookupSchema = z.object({
  isrc: z.string().optional(),
  recordings: z.array(z.object({ id: z.string(), title: z.string().optional() })).default([]),
});

const artistRelationSchema = z.object({
  type: z.string(),
  'target-type': z.string(),
  artist: z.object({ name: z.string() }).nullish(),
});

/** Relations of every target type share one array; each is read by its `target-type`. */
const recordingRelationSchema = artistRelationSchema.extend({
  work: z
    .object({
      title: z.string().optional(),
      relations: z.array(artistRelationSchema).default([]),
    })
    .nullish(),
});

export const recordingSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  relations: z.array(recordingRelationSchema).default([]),
});

export type Recording = z.infer<typeof recordingSchema>;
