/**
 * The parts of Chartmetric API answers we read. Chartmetric wraps every answer in `obj`; fields
 * we do not need are ignored, and statistics it has not computed are simply absent.
 */
import { z } from 'zod';

export const chartmetricTokenSchema = z.object({
  token: z.string().min(1),
  expires_in: z.number().nonnegative().optional(),
});

export const trackIdsSchema = z.object({
  obj: z.array(z.object({ chartmetric_ids: z.array(z.number()).nullish() })).default([]),
});

export const trackSchema = z.object({
  obj: z.object({
    id: z.number(),
    cm_statistics: z
      .object({
        sp_streams: z.number().nullish(),
        sp_playlist_total_reach: z.number().nullish(),
      })
      .nullish(),
  }),
});

export const playlistSearchSchema = z.object({
  obj: z.object({
    playlists: z.object({ spotify: z.array(z.object({ id: z.number() })).default([]) }).nullish(),
  }),
});

export const playlistTracksSchema = z.object({
  obj: z.array(
    z.object({
      name: z.string(),
      spotify_track_id: z.string().nullish(),
      spotify_track_ids: z.array(z.string()).nullish(),
      artist_names: z.array(z.string()).nullish(),
      album_names: z.array(z.string()).nullish(),
      duration_ms: z.number().nullish(),
      explicit: z.boolean().nullish(),
    }),
  ),
});
