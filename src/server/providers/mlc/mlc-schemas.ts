/**
 * The parts of The MLC public API's answers we read (https://public-api.themlc.com/api/doc).
 * Fields we do not need are ignored. The API spells the song code `mlcsongCode` in recording
 * search results and `mlcSongCode` in works; both are read. Numbers sometimes arrive as strings
 * (`expiresIn`, IPIs, shares), so those are read either way.
 */
import { z } from 'zod';

const numeric = z.union([z.number(), z.string().trim().regex(/^\d+(\.\d+)?$/).transform(Number)]);
const code = z.union([z.string(), z.number().transform(String)]);

/** POST /oauth/token. The errors carry `error` and `errorDescription` with every token field null. */
export const mlcTokenSchema = z.object({
  accessToken: z.string().min(1),
  idToken: z.string().min(1).nullish(),
  refreshToken: z.string().min(1).nullish(),
  tokenType: z.string().nullish(),
  expiresIn: numeric.nullish(),
});

/** POST /search/recordings: recordings by ISRC, or by title and artist. */
export const mlcRecordingsSchema = z
  .array(
    z.object({
      id: code.nullish(),
      title: z.string().nullish(),
      artist: z.string().nullish(),
      isrc: z.string().nullish(),
      mlcsongCode: z.string().nullish(),
      mlcSongCode: z.string().nullish(),
    }),
  )
  .nullable()
  .transform((rows) => rows ?? []);

/** POST /search/songcode: works by title and writers. */
export const mlcSongCodesSchema = z
  .array(
    z.object({
      mlcSongCode: z.string().nullish(),
      workTitle: z.string().nullish(),
      iswc: z.string().nullish(),
    }),
  )
  .nullable()
  .transform((rows) => rows ?? []);

const holderSchema = z.object({
  publisherName: z.string().nullish(),
  publisherIpiNumber: code.nullish(),
  // A number in the documented examples; some answers carry it as a string or a one-element list.
  collectionShare: z.union([numeric, z.array(numeric)]).nullish(),
});

const publisherSchema = holderSchema.extend({
  administrators: z.array(holderSchema).nullish(),
});

const workSchema = z.object({
  mlcSongCode: z.string().nullish(),
  primaryTitle: z.string().nullish(),
  iswc: z.string().nullish(),
  writers: z
    .array(
      z.object({
        writerFirstName: z.string().nullish(),
        writerLastName: z.string().nullish(),
        writerIPI: code.nullish(),
        writerRoleCode: z.string().nullish(),
      }),
    )
    .nullish(),
  publishers: z.array(publisherSchema).nullish(),
});

/** GET /work/id/{mlcSongCode}: one work (an answer wrapped in a one-element list is read too). */
export const mlcWorkSchema = z.union([workSchema, z.array(workSchema).min(1).transform((works) => works[0]!)]);

export type MlcWork = z.infer<typeof workSchema>;
export type MlcHolder = z.infer<typeof holderSchema>;
