import { afterEach, expect, test } from 'vitest';
import { listJobs } from '~/server/jobs/queries';
import { listPlaylists } from '~/server/playlists/queries';
import { seedDemoPlaylists } from '~/server/playlists/seed-demo-playlists';
import { createAccount } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
afterEach(() => runtime?.dispose());

test("a new database's first account gets the demo playlists with queued jobs in its workspace; the next account none", async () => {
  runtime = await createTestRuntime({ env: { DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', DEMO_SEED_PLAYLISTS: '3' } });
  const first = await createAccount(runtime, { name: 'Ana' });
  await waitFor(async () => (await listPlaylists(runtime.db, first.workspaceId)).length === 3, { what: 'three demo playlists' });
  const playlists = await listPlaylists(runtime.db, first.workspaceId);
  expect(playlists.map((p) => p.spotifyId).sort()).toEqual(['DemoPlaylist0000000001', 'DemoPlaylist0000000002', 'DemoPlaylist0000000003']);
  expect(playlists.every((p) => p.trackCount > 0 && p.tags.includes('demo'))).toBe(true);
  const jobs = await listJobs(runtime.db, first.workspaceId, {});
  expect(jobs.filter((j) => j.status === 'queued')).toHaveLength(3);

  // A second account, and a second attempt, add nothing: playlists the user removed do not come back.
  const second = await createAccount(runtime, { name: 'Ben' });
  expect(second.workspaceId).not.toBe(first.workspaceId);
  expect(await seedDemoPlaylists(runtime, second.workspaceId, 3)).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await listPlaylists(runtime.db, second.workspaceId)).toHaveLength(0);
});
