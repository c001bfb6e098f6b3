/**
 * The demo catalog's churn: a playlist's tracks change every churn period (DEMO_CHURN_MS, by
 * default PLAYLIST_REFRESH_INTERVAL_MS), 1-3 in at the top and as many out at the bottom,
 * deterministic by playlist id and period, so the weekly history has something to show offline.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '~/server/config';
import { createDemoProviders } from '~/server/providers/demo/create-demo-providers';
import { DEFAULT_DEMO_CHURN_MS, demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { selectProviders } from '~/server/providers/select-providers';
import { testEnv } from '../support/runtime';

const HOUR = 3_600_000;
const ids = (refs: { spotifyId: string }[]) => refs.map((ref) => ref.spotifyId);

describe('demo churn', () => {
  test('each period 1-3 tracks come in at the top and as many leave at the bottom; the rest keep their order', () => {
    const moves = new Set<number>();
    for (let n = 1; n <= 20; n++) {
      const spotifyId = demoPlaylistId(n);
      for (let period = 100; period < 110; period++) {
        const before = ids(demoPlaylistTracks(spotifyId, period * HOUR, HOUR));
        const after = ids(demoPlaylistTracks(spotifyId, (period + 1) * HOUR + 59 * 60_000, HOUR));
        expect(new Set(after).size).toBe(after.length);
        expect(after).toHaveLength(before.length);
        const added = after.filter((id) => !before.includes(id));
        expect(added.length).toBeGreaterThanOrEqual(1);
        expect(added.length).toBeLessThanOrEqual(3);
        moves.add(added.length);
        expect(after.slice(0, added.length)).toEqual(added);
        expect(after.slice(added.length)).toEqual(before.slice(0, before.length - added.length));
      }
    }
    expect(moves.size).toBeGreaterThan(1);
  });

  test('deterministic by playlist id and period; no churn with a period of 0', () => {
    const spotifyId = demoPlaylistId(3);
    expect(demoPlaylistTracks(spotifyId, 5 * HOUR, HOUR)).toEqual(demoPlaylistTracks(spotifyId, 5 * HOUR + HOUR - 1, HOUR));
    expect(demoPlaylistTracks(spotifyId, 5 * HOUR, HOUR)).not.toEqual(demoPlaylistTracks(spotifyId, 6 * HOUR, HOUR));
    expect(demoPlaylistTracks(spotifyId, 0, 0)).toEqual(demoPlaylistTracks(spotifyId, Date.now(), 0));
    expect(demoPlaylistTracks(spotifyId)).toEqual(demoPlaylistTracks(spotifyId, Date.now(), DEFAULT_DEMO_CHURN_MS));
  });

  test('the catalog churns at DEMO_CHURN_MS, or at PLAYLIST_REFRESH_INTERVAL_MS when that is unset', async () => {
    const spotifyId = demoPlaylistId(4);
    const quiet = { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0' };
    const cases = [
      { env: { PLAYLIST_REFRESH_INTERVAL_MS: '60000' }, churnMs: 60_000 },
      { env: { PLAYLIST_REFRESH_INTERVAL_MS: '60000', DEMO_CHURN_MS: String(HOUR) }, churnMs: HOUR },
      { env: { DEMO_CHURN_MS: '0' }, churnMs: 0 },
    ];
    for (const { env, churnMs } of cases) {
      const { catalog } = selectProviders(loadConfig({ ...testEnv, ...quiet, ...env }));
      const fetched = await catalog.getPlaylist(spotifyId);
      expect(fetched.tracks).toEqual(demoPlaylistTracks(spotifyId, Date.now(), churnMs));
    }
    const { catalog } = createDemoProviders({ latencyMs: 0, failureRate: 0, churnMs: 0 });
    expect((await catalog.getPlaylist(spotifyId)).tracks).toEqual(demoPlaylistTracks(spotifyId, 0, 0));
  });
});
