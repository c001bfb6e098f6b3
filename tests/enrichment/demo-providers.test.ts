import { describe, expect, test } from 'vitest';
import { createDemoProviders } from '~/server/providers/demo/create-demo-providers';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { ProviderError } from '~/server/providers/types';

const quiet = { latencyMs: 0, failureRate: 0 };

describe('demo providers', () => {
  test('the same id gives the same data on every instance and run', async () => {
    const a = createDemoProviders(quiet);
    const b = createDemoProviders(quiet);
    const first = await a.catalog.getPlaylist(demoPlaylistId(1));
    const again = await b.catalog.getPlaylist(demoPlaylistId(1));
    expect({ ...again, followers: 0 }).toEqual({ ...first, followers: 0 });
    const ids = first.tracks.map((t) => t.spotifyId);
    expect(await b.catalog.getTracks(ids)).toEqual(await a.catalog.getTracks(ids));
    const isrc = (await a.catalog.getTracks([ids[0]!])).get(ids[0]!)!.isrc!;
    expect(await b.credits.getCredits(isrc)).toEqual(await a.credits.getCredits(isrc));
    expect(await b.stats.getTrackStats({ spotifyId: ids[0]!, isrc })).toEqual(await a.stats.getTrackStats({ spotifyId: ids[0]!, isrc }));
  });

  test('playlists have 20-60 distinct tracks with realistic metadata; different ids differ', async () => {
    const { catalog, credits } = createDemoProviders(quiet);
    const sizes = new Set<number>();
    for (let n = 1; n <= 12; n++) {
      const playlist = await catalog.getPlaylist(demoPlaylistId(n));
      expect(playlist.tracks.length).toBeGreaterThanOrEqual(20);
      expect(playlist.tracks.length).toBeLessThanOrEqual(60);
      expect(new Set(playlist.tracks.map((t) => t.spotifyId)).size).toBe(playlist.tracks.length);
      sizes.add(playlist.tracks.length);
    }
    expect(sizes.size).toBeGreaterThan(1);
    const playlist = await catalog.getPlaylist(demoPlaylistId(1));
    const metadata = [...(await catalog.getTracks(playlist.tracks.map((t) => t.spotifyId))).values()];
    for (const m of metadata) {
      expect(m!.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
      expect(m!.label).toBeTruthy();
      expect(m!.releaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(m!.popularity).toBeGreaterThanOrEqual(0);
    }
    const found = await credits.getCredits(metadata[0]!.isrc!);
    expect(found!.songwriters.length).toBeGreaterThan(0);
  });

  test('failure paths: unknown, restricted, and a simulated failure rate', async () => {
    const { catalog, stats } = createDemoProviders(quiet);
    await expect(catalog.getPlaylist('DemoMissing00000000001')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(catalog.getPlaylist('DemoLocked000000000001')).rejects.toMatchObject({ code: 'RESTRICTED' });
    expect(await stats.getPlaylistTracks!('DemoLocked000000000001')).toBeNull();
    expect((await stats.getPlaylistTracks!('DemoPrivate00000000001'))!.length).toBeGreaterThanOrEqual(20);

    const alwaysFailing = createDemoProviders({ latencyMs: 0, failureRate: 1, random: () => 0 });
    const error = await alwaysFailing.catalog.getTracks(['DemoTrack0000000000001']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(true);
    const itemsOnly = createDemoProviders({ latencyMs: 0, failureRate: 0.5, random: () => 0.4 });
    expect((await itemsOnly.catalog.getTracks(['DemoTrack0000000000001'])).get('DemoTrack0000000000001')).toBeNull();
  });

  test('latency is simulated and honours an abort', async () => {
    const { catalog } = createDemoProviders({ latencyMs: 5_000, failureRate: 0 });
    const controller = new AbortController();
    const pending = catalog.getPlaylist(demoPlaylistId(1), controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
