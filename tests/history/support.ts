/** What the weekly-history tests share: their runtimes, a catalog whose memberships the test moves on, week arithmetic, row readers. */
import fs from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll } from 'vitest';
import { playlistTrackChanges, playlistTracks, tracks } from '~/server/db/schema';
import { demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import type { CatalogProvider, PlaylistTrackRef } from '~/server/providers/types';
import type { Runtime } from '~/server/runtime';
import { pipelineRuntime } from '../enrichment/support';
import { freshDataDir, type TestRuntime } from '../support/runtime';

/**
 * Builds the per-process PGlite template (initdb and migrations) in a hook, whose timeout is
 * longer: on a busy machine it alone can take most of a test's 30 s.
 */
async function warmTemplate(): Promise<void> {
  fs.rmSync(await freshDataDir(), { recursive: true, force: true });
}

/**
 * Registers a test file's hooks: the template built before its first test (warmTemplate), and the
 * runtime a test `start`s (a pipeline runtime) disposed after it, whether it passed or not.
 */
export function runtimePerTest() {
  let current: TestRuntime | undefined;
  beforeAll(warmTemplate);
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return {
    async start(opts: Parameters<typeof pipelineRuntime>[0]): Promise<TestRuntime> {
      current = await pipelineRuntime(opts);
      return current;
    },
  };
}

const CHURN_MS = 3_600_000;

/**
 * Puts a catalog on the runtime whose playlists are the demo's at `version` periods of churn
 * (demoPlaylistTracks: 1-3 tracks in at the top and out at the bottom per period), or exactly the
 * tracks a test gave one; metadata and followers are the demo's.
 */
export function scriptedCatalog(runtime: Runtime) {
  const base = runtime.providers.catalog;
  const overrides = new Map<string, PlaylistTrackRef[]>();
  let version = 0;
  let failure: Error | null = null;
  const tracksOf = (spotifyId: string, at = version) => overrides.get(spotifyId) ?? demoPlaylistTracks(spotifyId, at * CHURN_MS, CHURN_MS);
  const catalog: CatalogProvider = {
    name: base.name,
    async getPlaylist(spotifyId, signal) {
      if (failure) throw failure;
      return { ...(await base.getPlaylist(spotifyId, signal)), tracks: tracksOf(spotifyId) };
    },
    getPlaylistFollowers: (spotifyId, signal) => base.getPlaylistFollowers(spotifyId, signal),
    getTracks: (ids, signal) => base.getTracks(ids, signal),
  };
  runtime.providers = { ...runtime.providers, catalog };
  return {
    /** The demo tracks of a playlist at a version (the current one by default). */
    tracksAt: (spotifyId: string, at?: number) => tracksOf(spotifyId, at),
    setVersion(next: number) {
      version = next;
    },
    setTracks(spotifyId: string, refs: PlaylistTrackRef[]) {
      overrides.set(spotifyId, refs);
    },
    /** Every getPlaylist throws this until it is cleared. */
    fail(error: Error | null) {
      failure = error;
    },
  };
}

/** The Monday (UTC) of the ISO week `date` falls in, `YYYY-MM-DD`. */
export function mondayOf(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** The workspace's track id of each Spotify id. */
export async function trackIdsBySpotifyId(runtime: Runtime, workspaceId: string): Promise<Map<string, string>> {
  const found = await runtime.db.select({ id: tracks.id, spotifyId: tracks.spotifyId }).from(tracks).where(eq(tracks.workspaceId, workspaceId));
  return new Map(found.map((row) => [row.spotifyId, row.id]));
}

export async function changeRows(runtime: Runtime, playlistId: string) {
  return runtime.db
    .select()
    .from(playlistTrackChanges)
    .where(eq(playlistTrackChanges.playlistId, playlistId))
    .orderBy(asc(playlistTrackChanges.id));
}

export async function membershipRows(runtime: Runtime, playlistId: string) {
  return runtime.db.select().from(playlistTracks).where(eq(playlistTracks.playlistId, playlistId)).orderBy(asc(playlistTracks.position));
}

export async function firstSeen(runtime: Runtime, trackId: string): Promise<Date> {
  const [row] = await runtime.db.select({ at: tracks.firstSeenAt }).from(tracks).where(eq(tracks.id, trackId));
  return row!.at;
}

/** Moves a playlist's recorded history (and its tracks' first sightings) `days` into the past, as if it had been added then. */
export async function backdate(runtime: Runtime, workspaceId: string, playlistId: string, days: number): Promise<void> {
  const shift = sql`${days} * interval '1 day'`;
  await runtime.db.update(playlistTrackChanges).set({ at: sql`${playlistTrackChanges.at} - ${shift}` }).where(eq(playlistTrackChanges.playlistId, playlistId));
  await runtime.db.execute(sql`UPDATE ${tracks} SET first_seen_at = first_seen_at - ${shift}
    WHERE id IN (SELECT track_id FROM ${playlistTracks} WHERE playlist_id = ${playlistId}) AND workspace_id = ${workspaceId}`);
  await runtime.db.execute(sql`UPDATE playlists SET last_fetched_at = last_fetched_at - ${shift} WHERE id = ${playlistId}`);
}

export const idsOf = (refs: readonly PlaylistTrackRef[], ids: Map<string, string>) => refs.map((ref) => ids.get(ref.spotifyId)!);

/** `a` without the members of `b`, in `a`'s order. */
export const without = <T>(a: readonly T[], b: readonly T[]) => a.filter((x) => !b.includes(x));
