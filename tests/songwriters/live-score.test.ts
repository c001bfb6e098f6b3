/**
 * Scores through the real worker, seen through the real `leads` subscription: a playlist's
 * enrichment makes its songwriters and scores them, each score arriving live as
 * songwriter_score_changed; a later rights re-check that changes what a score rests on arrives
 * too, with the previous score, and what arrives is what a read returns afterwards (never a
 * score computed from a stale read). Another workspace's leads subscriber sees none of it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Envelope } from '~/server/events/catalog';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { createWorkspace } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines } from '../support/runtime';
import { jobTransitions, live, ofType, startWorker, testRuntimes } from '../enrichment/support';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());

/** The last score each songwriter was announced with. */
function lastScores(events: readonly Envelope[]): Map<string, Envelope<'songwriter_score_changed'>['data']> {
  const last = new Map<string, Envelope<'songwriter_score_changed'>['data']>();
  for (const event of ofType(events, 'songwriter_score_changed')) last.set(event.data.songwriterId, event.data);
  return last;
}

describe.each(engines)('scores arriving live on %s', (engine) => {
  test('a job’s songwriters are scored as their tracks complete; a rights re-check that changes a score arrives with the previous one', { timeout: 90_000 }, async () => {
    const rt = await runtimes.on(engine);
    const caller = callerFor(rt);
    const jobs = await live(rt, (c) => c.jobStatus());
    const leads = await live(rt, (c) => c.leads({}));
    const other = await createWorkspace(rt, 'Other workspace');
    const outsider = await subscribe(rt, (c) => c.leads({}), { workspaceId: other });
    await waitFor(() => outsider.messages.length > 0, { what: "the outsider's snapshot" });

    const added = await caller.playlists.add({ url: demoPlaylistId(23) });
    expect((await caller.songwriters.list({})).total).toBe(0);
    startWorker(rt);
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'the enrichment job' });

    const { items, total } = await caller.songwriters.list({ limit: 200 });
    expect(total).toBeGreaterThan(0);
    const scored = items.filter((s) => s.trackCount > 0);
    expect(scored.length).toBeGreaterThan(0);
    // Every credited songwriter was announced, and the last announcement is what a read returns.
    await waitFor(() => scored.every((s) => lastScores(leads.events).has(s.id)), { what: 'a score event for every credited songwriter' });
    const announced = lastScores(leads.events);
    for (const songwriter of scored) {
      const event = announced.get(songwriter.id)!;
      expect(event, songwriter.name).toMatchObject({ score: songwriter.score, trackCount: songwriter.trackCount, publisherStatus: songwriter.publisherStatus, totalStreams: songwriter.totalStreams });
      const page = await caller.songwriters.get({ id: songwriter.id });
      if (!('breakdown' in page)) throw new Error(`${songwriter.name} was merged`);
      expect(event.categories.map((c) => [c.key, c.points])).toEqual(page.breakdown!.categories.map((c) => [c.key, c.points]));
      expect(event.score).toBeCloseTo(Math.min(10, event.categories.reduce((sum, c) => sum + c.points, 0)), 5);
    }
    // The first announcement of each songwriter has no previous score.
    const firsts = new Map<string, number | null>();
    for (const event of ofType(leads.events, 'songwriter_score_changed')) if (!firsts.has(event.data.songwriterId)) firsts.set(event.data.songwriterId, event.data.previous);
    expect([...firsts.values()].every((previous) => previous === null)).toBe(true);

    // The registry no longer finds their works: those whose works were all unpublished lose the
    // publishing points (4), announced with the score they had.
    const unpublished = scored.filter((s) => s.publisherStatus === 'unpublished');
    expect(unpublished.length, 'the demo catalog gives some songwriters only unpublished works').toBeGreaterThan(0);
    rt.providers.rights = { name: 'empty-registry', lookupWork: async () => null };
    const seen = ofType(leads.events, 'songwriter_score_changed').length;
    const tracks = await caller.tracks.list({ playlistId: added.id });
    const { job } = await rt.log.transaction((tx) =>
      enqueueJob(tx, { workspaceId: rt.workspaceId, playlistId: added.id, trackIds: tracks.map((t) => t.id), phases: [4], maxAttempts: 1, reason: 're-check rights', force: true }),
    );
    await waitFor(() => jobTransitions(jobs.events, job.id).includes('running->completed'), { what: 'the rights re-check' });
    // A songwriter whose tracks fall in several batches is rescored after each; the last
    // announcement is what a read returns once the job is over (a stale read would never match).
    const chainOf = (id: string) => ofType(leads.events, 'songwriter_score_changed').slice(seen).filter((e) => e.data.songwriterId === id).map((e) => e.data);
    const current = new Map<string, number>();
    await waitFor(
      async () => {
        for (const songwriter of unpublished) {
          const now = await caller.songwriters.get({ id: songwriter.id });
          if (!('score' in now)) throw new Error(`${songwriter.name} was merged`);
          current.set(songwriter.id, now.score);
        }
        return unpublished.every((s) => chainOf(s.id).at(-1)?.score === current.get(s.id));
      },
      { what: 'the last announced score of each unpublished songwriter to be what a read returns' },
    );
    for (const songwriter of unpublished) {
      // The chain starts at the score they had, and each announcement's previous is the one before.
      const chain = chainOf(songwriter.id);
      expect(chain.map((e) => e.previous)).toEqual([songwriter.score, ...chain.slice(0, -1).map((e) => e.score)]);
      const event = chain.at(-1)!;
      expect(event).toMatchObject({ score: current.get(songwriter.id), publisherStatus: 'unknown' });
      expect(event.score).toBeLessThan(songwriter.score);
      expect(event.categories.find((c) => c.key === 'publishing')).toMatchObject({ points: 0 });
    }

    // Another workspace's subscriber got its snapshot and nothing else.
    expect(outsider.events).toHaveLength(0);
    for (const sub of [jobs, leads, outsider]) await sub.stop();
  });
});
