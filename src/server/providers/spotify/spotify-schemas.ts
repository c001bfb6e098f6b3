/**
 * The parts of Spotify Web API answers we read. Fields that the February 2026 development-mode
 * changes removed (popularity, album label, playlist followers) are optional and read as null;
 * a playlist item carries its track under `item` (the current name) or `track` (the old one).
 */
import { z } from 'zod';

export const spotifyTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().nonnegative().optional(),
});

const imageSchema = z.object({ url: z.string() });

export const spotifyPlaylistSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  owner: z.object({ display_name: z.string().nullish(), id: z.string().nullish() }).nullish(),
  images: z.array(imageSchema).nullish(),
  followers: z.object({ total: z.number().nullish() }).nullish(),
});

export const spotifyFollowersSchema = z.object({
  followers: z.object({ total: z.number().nullish() }).nullish(),
});

const simplifiedAlbumSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  release_date: z.string().nullish(),
  images: z.array(imageSchema).nullish(),
});

export const spotifyTrackSchema = z.object({
  id: z.string().nullish(),
  type: z.string().optional(),
  name: z.string(),
  artists: z.array(z.object({ name: z.string() })).default([]),
  album: simplifiedAlbumSchema.nullish(),
  duration_ms: z.number().nullish(),
  explicit: z.boolean().nullish(),
  popularity: z.number().nullish(),
  is_local: z.boolean().nullish(),
  external_ids: z.object({ isrc: z.string().nullish() }).nullish(),
});

export const spotifyAlbumSchema = z.object({
  id: z.string(),
  label: z.string().nullish(),
});

export const spotifyItemsPageSchema = z.object({
  items: z.array(
    z.object({
      // An episode or a removed track comes back as null or with another type; the mapper skips them.
      item: spotifyTrackSchema.nullish().catch(null),
      track: spotifyTrackSchema.nullish().catch(null),
    }),
  ),
  next: z.string().nullable(),
  offset: z.number().optional(),
  limit: z.number().optional(),
  total: z.number().optional(),
});

export type SpotifyTrack = z.infer<typeof spotifyTrackSchema>;
export type SpotifyItemsPage = z.infer<typeof spotifyItemsPageSchema>;
