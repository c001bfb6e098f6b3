/**
 * Phase 4 (rights) through the real worker with the demo providers, seen through the real
 * jobStatus and trackStatus subscriptions: each track ends published, unpublished or unknown with
 * its work, writers and publishers stored; enrichment_phase phase 4 and track_enriched carry it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { publisherStatusOf } from '~/server/enrichment/phases/rights-phase';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import { DemoRights, demoRightsFor } from '~/server/providers/demo/demo-rights';
import { demoCreditsFor, demoTrackFacts } from '~/server/providers/demo/demo-track-facts';
import { ProviderError, type RightsProvider } from '~/server/providers/types';
import { createWorkspace } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines } from '../support/runtime';
import { jobTransitions, live, ofType, startWorker, testRuntimes } from './support';
import { normalizeName } from '~/server/songwriters/normalize-name';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());

describe('the demo rights registry', () => {
  test('is deterministic per ISRC: about 55% published, 25% unpublished, 20% unknown', () => {
    const counts = { published: 0, unpublished: 0, unknown: 0 };
    for (let n = 1; n <= 4000; n++) {
      const facts = demoTrackFacts(`RightsSample${String(n).padStart(10, '0')}`);
      const query = { isrc: facts.isrc, title: facts.name, artist: facts.artist };
      const work = demoRightsFor(query);
      expect(demoRightsFor(query)).toEqual(work);
      counts[publisherStatusOf(work)]++;
      if (work && publisherStatusOf(work) === 'published') {
        const total = work.publishers.reduce((sum, p) => sum + (p.share ?? 0), 0);
        expect(total).toBeGreaterThan(0);
        expect(total).toBeLessThanOrEqual(100.01);
        expect(work.publishers.every((p) => p.name && /^\d{11}$/.test(p.ipi ?? ''))).toBe(true);
      }
      if (work) expect(work.iswc === null || /^T-\d{3}\.\d{3}\.\d{3}-\d$/.test(work.iswc)).toBe(true);
    }
    expect(counts.published / 4000).toBeCloseTo(0.55, 1);
    expect(counts.unpublished / 4000).toBeCloseTo(0.25, 1);
    expect(counts.unknown / 4000).toBeCloseTo(0.2, 1);
    // Administrators appear on some published works.
    const administered = Array.from({ length: 400 }, (_, n) => demoRightsFor({ isrc: demoTrackFacts(`RightsAdmin${String(n).padStart(11, '0')}`).isrc, title: 't', artist: 'a' }));
    expect(administered.some((work) => work?.publishers.some((p) => p.administrators.length > 0))).toBe(true);
  });

  test('its writers are the songwriters the demo credits give the same ISRC (some written "LAST, FIRST" as The MLC does); without an ISRC it goes by title and artist', async () => {
    const rights = new DemoRights({ latencyMs: 0, failureRate: 0 });
    let checked = 0;
    let mlcStyle = 0;
    const nameKey = (name: string) => normalizeName(name)!.key;
    for (let n = 1; n <= 50; n++) {
      const facts = demoTrackFacts(`RightsWriters${String(n).padStart(9, '0')}`);
      const work = await rights.lookupWork({ isrc: facts.isrc, title: facts.name, artist: facts.artist });
      if (!work) continue;
      mlcStyle += work.writers.filter((w) => w.name.includes(',')).length;
      expect(work.writers.map((w) => nameKey(w.name))).toEqual(demoCreditsFor(facts.isrc).songwriters.map(nameKey));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(mlcStyle, 'some writers are registered "LAST, FIRST"').toBeGreaterThan(0);
    const byTitle = { isrc: null, title: 'Golden Rivers', artist: 'Ava Hart' };
    expect(await rights.lookupWork(byTitle)).toEqual(demoRightsFor(byTitle));
  });

  test('simulates failures like the other demo providers', async () => {
    const failing = new DemoRights({ latencyMs: 0, failureRate: 1, random: () => 0 });
    await expect(failing.lookupWork({ isrc: 'USUM72400001', title: 't', artist: 'a' })).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    const itemsOnly = new DemoRights({ latencyMs: 0, failureRate: 0.5, random: () => 0.4 });
    await expect(itemsOnly.lookupWork({ isrc: 'USUM72400001', title: 't', artist: 'a' })).rejects.toMatchObject({ code: 'BAD_RESPONSE', retryable: false });
  });
});

describe.each(engines)('phase 4 (rights) on %s', (engine) => {
  test('every track ends published, unpublished or unknown, with its work stored and announced live', { timeout: 60_000 }, async () => {
    const rt = await runtimes.on(engine);
    const other = await createWorkspace(rt, 'Other workspace');
    const jobs = await live(rt, (c) => c.jobStatus());
    const trackSub = await live(rt, (c) => c.trackStatus());
    const outsider = await subscribe(rt, (c) => c.trackStatus(), { workspaceId: other });
    const outsiderJobs = await subscribe(rt, (c) => c.jobStatus(), { workspaceId: other });
    await waitFor(() => outsider.messages.length > 0 && outsiderJobs.messages.length > 0, { what: 'outsider snapshots' });

    const spotifyId = demoPlaylistId(64);
    const trackCount = demoPlaylistTracks(spotifyId).length;
    const caller = callerFor(rt);
    const added = await caller.playlists.add({ url: spotifyId });
    const before = await caller.tracks.list({ playlistId: added.id });
    expect(before.every((t) => t.publisherStatus === 'unknown' && t.workCode === null && t.rightsCheckedAt === null)).toBe(true);
    startWorker(rt);

    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job completed' });
    const phases = ofType(jobs.events, 'enrichment_phase').map((e) => `${e.data.phase}:${e.data.name}:${e.data.state}`);
    expect(phases.slice(-2)).toEqual(['4:rights:started', '4:rights:completed']);
    expect(ofType(jobs.events, 'enrichment_phase').find((e) => e.data.phase === 4)!.data).toMatchObject({ jobId: added.jobId, tracksTotal: trackCount, error: null });
    const rightsBatches = ofType(jobs.events, 'batch_complete').filter((b) => b.data.phase === 4);
    expect(rightsBatches).toHaveLength(Math.ceil(trackCount / 10));
    expect(rightsBatches.at(-1)!.data).toMatchObject({ done: trackCount, total: trackCount, failed: 0 });
    expect((await caller.jobs.get({ id: added.jobId! })).phases).toEqual([1, 2, 3, 4]);

    await waitFor(() => ofType(trackSub.events, 'track_enriched').length === trackCount, { what: 'every track_enriched' });
    const stored = await caller.tracks.list({ playlistId: added.id });
    const statuses = new Set<string>();
    for (const track of stored) {
      const expected = demoRightsFor({ isrc: track.isrc, title: track.name, artist: track.artist });
      const status = publisherStatusOf(expected);
      statuses.add(status);
      expect(track).toMatchObject({
        enrichmentStatus: 'completed',
        publisherStatus: status,
        workCode: expected?.workCode ?? null,
        iswc: expected?.iswc ?? null,
        writers: expected?.writers ?? null,
        publishers: expected?.publishers ?? null,
      });
      expect(track.rightsCheckedAt).not.toBeNull();

      const enriched = ofType(trackSub.events, 'track_enriched').find((e) => e.data.trackId === track.id)!;
      expect(enriched.data.found).toMatchObject({ publisherStatus: status, workCode: expected?.workCode ?? null, writers: expected?.writers ?? null, publishers: expected?.publishers ?? null });
    }
    expect([...statuses].sort()).toEqual(['published', 'unknown', 'unpublished']);
    // The writers of a found work carry IPIs; publishers carry shares and administrators.
    const published = stored.find((t) => t.publisherStatus === 'published')!;
    expect(published.writers!.length).toBeGreaterThan(0);
    expect(published.publishers!.some((p) => (p.share ?? 0) > 0)).toBe(true);
    expect(published.publishers!.every((p) => Array.isArray(p.administrators))).toBe(true);
    const unpublished = stored.find((t) => t.publisherStatus === 'unpublished')!;
    expect(unpublished.workCode).toBeTruthy();
    expect(unpublished.publishers!.every((p) => !p.share)).toBe(true);

    const one = await caller.tracks.get({ id: published.id });
    expect(one).toMatchObject({ publisherStatus: 'published', workCode: published.workCode, iswc: published.iswc, writers: published.writers, publishers: published.publishers });

    // Another workspace's subscribers see none of it.
    expect(outsider.events).toHaveLength(0);
    expect(outsiderJobs.events).toHaveLength(0);
    for (const sub of [jobs, trackSub, outsider, outsiderJobs]) await sub.stop();
  });

  test('a rights-only job (phase 4) re-checks completed tracks; the registry finding nothing makes them unknown', { timeout: 60_000 }, async () => {
    const rt = await runtimes.on(engine);
    const caller = callerFor(rt);
    startWorker(rt);
    const jobs = await live(rt, (c) => c.jobStatus());
    const added = await caller.playlists.add({ url: demoPlaylistId(80) });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'first job' });
    const first = await caller.tracks.list({ playlistId: added.id });
    expect(first.some((t) => t.publisherStatus !== 'unknown')).toBe(true);

    const lookups: string[] = [];
    rt.providers.rights = {
      name: 'empty-registry',
      lookupWork: async (query) => {
        lookups.push(query.isrc ?? query.title);
        return null;
      },
    };
    const trackSub = await live(rt, (c) => c.trackStatus({ playlistId: added.id }));
    // As a person's re-enrich of chosen tracks does (a playlist job only takes tracks still to enrich).
    const { job } = await rt.log.transaction((tx) =>
      enqueueJob(tx, { workspaceId: rt.workspaceId, playlistId: added.id, trackIds: first.map((t) => t.id), phases: [4], maxAttempts: 1, reason: 're-check rights', force: true }),
    );
    expect(job.phases).toEqual([4]);
    await waitFor(() => jobTransitions(jobs.events, job.id).includes('running->completed'), { what: 'rights-only job' });
    expect(ofType(jobs.events, 'enrichment_phase').filter((e) => e.data.jobId === job.id).map((e) => `${e.data.phase}:${e.data.state}`)).toEqual(['4:started', '4:completed']);
    await waitFor(() => ofType(trackSub.events, 'track_enriched').length === first.length, { what: 'track_enriched of the rights-only job' });
    expect(ofType(trackSub.events, 'track_enriched').every((e) => e.data.found.publisherStatus === 'unknown' && e.data.found.workCode === null)).toBe(true);
    // Completed tracks stay completed through the run (no status moves), keeping what the other phases found.
    expect(ofType(trackSub.events, 'track_status_changed')).toHaveLength(0);
    expect(lookups.sort()).toEqual(first.map((t) => t.isrc!).sort());
    const after = await caller.tracks.list({ playlistId: added.id });
    for (const track of after) {
      const earlier = first.find((t) => t.id === track.id)!;
      expect(track).toMatchObject({ enrichmentStatus: 'completed', publisherStatus: 'unknown', workCode: null, writers: null, publishers: null, isrc: earlier.isrc, streams: earlier.streams });
    }
    await trackSub.stop();
    await jobs.stop();
  });

  test('a track the registry cannot read fails with the reason; an outage fails phase 4 by name', { timeout: 60_000 }, async () => {
    const rt = await runtimes.on(engine, { JOB_MAX_ATTEMPTS: '1', PROVIDER_CALL_ATTEMPTS: '2' });
    const caller = callerFor(rt);
    const spotifyId = demoPlaylistId(99);
    const victim = demoPlaylistTracks(spotifyId)[2]!;
    const demo = rt.providers.rights;
    const flaky: RightsProvider = {
      name: 'flaky-rights',
      lookupWork: async (query, signal) => {
        if (query.title === victim.name && query.artist === victim.artist) throw new ProviderError('flaky-rights', 'BAD_RESPONSE', 'The work record for this recording was not valid JSON.');
        return demo.lookupWork(query, signal);
      },
    };
    rt.providers.rights = flaky;
    const jobs = await live(rt, (c) => c.jobStatus());
    const trackSub = await live(rt, (c) => c.trackStatus());
    startWorker(rt);
    const added = await caller.playlists.add({ url: spotifyId });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job completed' });
    const failed = ofType(trackSub.events, 'track_status_changed').filter((e) => e.data.to === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data.error).toContain('flaky-rights: The work record for this recording was not valid JSON.');
    expect(await caller.jobs.get({ id: added.jobId! })).toMatchObject({ status: 'completed', tracksFailed: 1, tracksDone: added.trackCount - 1 });

    rt.providers.rights = {
      name: 'down-rights',
      lookupWork: async () => {
        throw new ProviderError('down-rights', 'UNAVAILABLE', 'The rights registry is down for maintenance.');
      },
    };
    // jobs.enqueue takes phase 4 alone; a playlist job works on its tracks still to enrich (the failed one).
    const job = await caller.jobs.enqueue({ playlistId: added.id, phases: [4] });
    expect(job).toMatchObject({ phases: [4], created: true });
    await waitFor(() => jobTransitions(jobs.events, job.id).includes('running->failed'), { what: 'rights job failed' });
    const phaseEvents = ofType(jobs.events, 'enrichment_phase').filter((e) => e.data.jobId === job.id);
    expect(phaseEvents.map((e) => `${e.data.phase}:${e.data.name}:${e.data.state}`)).toEqual(['4:rights:started', '4:rights:failed']);
    expect(phaseEvents.at(-1)!.data.error).toContain('Phase 4 (rights) failed');
    expect(phaseEvents.at(-1)!.data.error).toContain('down for maintenance');
    await trackSub.stop();
    await jobs.stop();
  });
});
