/**
 * The pipeline over real sockets: a script client adds a demo playlist through the API and
 * watches its job and tracks live, over WebSocket and over SSE, against a real server.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Envelope } from '~/server/events/catalog';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import { createKey } from '../support/accounts';
import { eventsOf, waitFor } from '../support/iterate';
import { clientFor, startTestServer } from '../support/server';
import type { TestRuntime } from '../support/runtime';
import { jobTransitions, ofType, pipelineRuntime, startWorker } from './support';

let runtime: TestRuntime | undefined;
const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  await runtime?.dispose();
  runtime = undefined;
});

describe.each(['ws', 'sse'] as const)('over %s', (transport) => {
  test('adding a playlist shows its job and every track move live', async () => {
    runtime = await pipelineRuntime();
    const server = await startTestServer(runtime);
    closers.push(() => server.close());
    // A script's key: a member of the test runtime's workspace may add playlists.
    const { client, close } = clientFor(server, await createKey(runtime, runtime.workspaceId, 'member'), transport);
    closers.push(close);
    startWorker(runtime);

    const jobEvents: Envelope[] = [];
    const trackEvents: Envelope[] = [];
    const listen = (into: Envelope[]) => ({
      onData: (message: unknown) => into.push(...eventsOf((message as { data: Parameters<typeof eventsOf>[0] }).data)),
      onError: (error: unknown) => into.push({ type: 'error', data: error } as never),
    });
    let snapshots = 0;
    const countSnapshot = (into: Envelope[]) => {
      const handlers = listen(into);
      return { ...handlers, onData: (message: unknown) => ((message as { data: { kind: string } }).data.kind === 'snapshot' ? snapshots++ : handlers.onData(message)) };
    };
    const jobSub = client.jobStatus.subscribe({}, countSnapshot(jobEvents));
    const trackSub = client.trackStatus.subscribe({}, countSnapshot(trackEvents));
    closers.push(() => jobSub.unsubscribe(), () => trackSub.unsubscribe());
    await waitFor(() => snapshots === 2, { what: 'both snapshots' });

    const spotifyId = demoPlaylistId(40);
    const added = await client.playlists.add.mutate({ url: `https://open.spotify.com/playlist/${spotifyId}` });
    const trackCount = demoPlaylistTracks(spotifyId).length;
    await waitFor(() => jobTransitions(jobEvents, added.jobId!).includes('running->completed'), { what: 'job completed', timeoutMs: 20_000 });
    expect(jobTransitions(jobEvents, added.jobId!)).toEqual(['none->queued', 'queued->running', 'running->completed']);
    expect(ofType(jobEvents, 'enrichment_phase').filter((e) => e.data.state === 'completed').map((e) => e.data.phase)).toEqual([1, 2, 3, 4]);
    await waitFor(() => ofType(trackEvents, 'track_enriched').length === trackCount, { what: 'every track enriched' });
    expect(ofType(trackEvents, 'track_status_changed').filter((e) => e.data.to === 'completed')).toHaveLength(trackCount);

    await expect(client.playlists.add.mutate({ url: 'not a playlist' })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });
});
