import { afterEach, expect, test } from 'vitest';
import { seedDemoPlaylists } from '~/server/playlists/seed-demo-playlists';
import { listJobs } from '~/server/jobs/queries';
import { listPlaylists } from '~/server/playlists/queries';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
afterEach(() => runtime?.dispose());

test('a new database on the demo catalog gets demo playlists with queued jobs, once', async () => {
  runtime = await createTestRuntime({ env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0' } });
  expect(await seedDemoPlaylists(runtime, 3)).toBe(3);
  const playlists = await listPlaylists(runtime.db, runtime.defaultWorkspaceId);
  expect(playlists.map((p) => p.spotifyId)).toEqual(['DemoPlaylist0000000001', 'DemoPlaylist0000000002', 'DemoPlaylist0000000003']);
  expect(playlists.every((p) => p.trackCount > 0 && p.tags.includes('demo'))).toBe(true);
  const jobs = await listJobs(runtime.db, runtime.defaultWorkspaceId, {});
  expect(jobs.filter((j) => j.status === 'queued')).toHaveLength(3);

  // A later start adds nothing, so playlists the user removed do not come back.
  expect(await seedDemoPlaylists(runtime, 3)).toBe(0);
});
