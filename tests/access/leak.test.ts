/**
 * Workspaces are sealed from each other. Two workspaces, A and B, each with playlists, enrichment
 * jobs (the worker runs), imports and notes. Everything a caller of B receives - the five
 * subscriptions over WebSocket and over SSE (snapshot, replay from an id, live events while A is
 * busy), every query, and the route handlers - is collected and searched for A's ids, names, notes
 * and event ids: none may appear. B's own data must appear, so the search is not vacuous.
 *
 * One world for the file (beforeAll): building it (two workspaces, enrichment, imports, a live
 * phase) is what takes the time; the tests then read what was collected.
 */
import fs from 'node:fs';
import { TRPCClientError } from '@trpc/client';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as postNoteRoute } from '~/app/api/activity/notes/route';
import { GET as errorsCsvRoute } from '~/app/api/imports/[importId]/errors.csv/route';
import { loadConfig } from '~/server/config';
import { activity, apiKeys, enrichmentJobs, events, imports, playlists, tracks } from '~/server/db/schema';
import { startEnrichmentServices } from '~/server/enrichment/enrichment-services';
import type { Envelope } from '~/server/events/catalog';
import type { AppServer } from '~/server/http/app-server';
import { forgetRuntime, startRuntime, type Runtime } from '~/server/runtime';
import { subscriptionTypes } from '~/server/api/subscriptions';
import { createAccount, createKey, type Account } from '../support/accounts';
import { eventsOf, waitFor } from '../support/iterate';
import { freshDataDir, testEnv } from '../support/runtime';
import { clientFor, startTestServer } from '../support/server';
import { cleanupList, cookieClient, demoId, fastEnv, recorder, waitForSnapshot } from './support';

type SubscriptionName = keyof typeof subscriptionTypes;
const subscriptionNames = Object.keys(subscriptionTypes) as SubscriptionName[];
const transports = ['ws', 'sse'] as const;
type Transport = (typeof transports)[number];
type Mode = 'fresh' | 'resumeFromA' | 'resumeFromB' | 'filteredOnA';
const modes: Mode[] = ['fresh', 'resumeFromA', 'resumeFromB', 'filteredOnA'];

/** Every name and note of A carries this; B's carry BMARK. Neither is a substring of anything else. */
const AMARK = 'Aardvarkzz';
const BMARK = 'Beeswaxqq';

type Rec = ReturnType<typeof recorder>;
type Message = { kind: string; snapshot?: unknown; reason?: string; message?: string } & Parameters<typeof eventsOf>[0];

const cleanups = cleanupList();
let runtime: Runtime;
let server: AppServer;
let ownerA: Account;
let ownerB: Account;
let keyA: string;
let keyB: string;
let A: string;
let B: string;
/** A's things, from its calls and the database once the world is built. */
const secretsOfA = { playlistIds: [] as string[], spotifyIds: [] as string[], jobIds: [] as string[], importIds: [] as string[], trackIds: [] as string[], eventIds: [] as string[], trackIdsSample: [] as string[] };
const ofB = {
  firstPlaylistId: '',
  livePlaylistId: '',
  liveJobId: '',
  liveImportId: '',
  importId: '',
  eventIds: new Set<string>(),
  playlistIds: [] as string[],
  trackIds: [] as string[],
  jobIds: [] as string[],
  importIds: [] as string[],
};
let aStreamId = '';
let bEarlyId = '';
const received = new Map<string, Rec>();
const recKey = (transport: Transport, name: SubscriptionName, mode: Mode) => `${transport} ${name} ${mode}`;

const messagesOf = (rec: Rec) => rec.received.map((r) => r.data as Message);
const envelopesOf = (rec: Rec): Envelope[] => messagesOf(rec).flatMap((m) => eventsOf(m));

async function settled(rt: Runtime, what: string) {
  await waitFor(
    async () => {
      const busyJobs = await rt.db.select({ id: enrichmentJobs.id }).from(enrichmentJobs).where(inArray(enrichmentJobs.status, ['queued', 'running']));
      const busyImports = await rt.db.select({ id: imports.id }).from(imports).where(inArray(imports.status, ['queued', 'running']));
      return busyJobs.length === 0 && busyImports.length === 0;
    },
    { timeoutMs: 40_000, what },
  );
}

beforeAll(async () => {
  const dataDir = await freshDataDir();
  // startRuntime puts the runtime where the route handlers' getRuntime() finds it (globalThis).
  runtime = await startRuntime(loadConfig({ ...testEnv, ...fastEnv, DATA_DIR: dataDir }));
  cleanups.add(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  cleanups.add(() => runtime.close());
  cleanups.add(() => forgetRuntime());
  server = await startTestServer(runtime);
  cleanups.add(() => server.close());
  const services = startEnrichmentServices(runtime, { worker: true, pollers: false });
  cleanups.add(() => services.stop());

  ownerA = await createAccount(runtime, { name: `${AMARK} Owner` });
  ownerB = await createAccount(runtime, { name: `${BMARK} Owner` });
  A = ownerA.workspaceId;
  B = ownerB.workspaceId;
  keyA = await createKey(runtime, A, 'admin');
  keyB = await createKey(runtime, B, 'member');
  const a = clientFor(server, keyA, 'sse');
  const b = clientFor(server, keyB, 'sse');

  // Watchers from the start: A's gives an event id from A's stream, B's an early id of B's own.
  const aWatch = recorder();
  const bWatch = recorder();
  const aw = a.client.activityFeed.subscribe(undefined, aWatch.handlers);
  const bw = b.client.activityFeed.subscribe(undefined, bWatch.handlers);
  cleanups.add(() => aw.unsubscribe());
  cleanups.add(() => bw.unsubscribe());
  await waitForSnapshot(aWatch);
  await waitForSnapshot(bWatch);

  // Phase 1: both workspaces get playlists, jobs (run by the worker), an import with a failed row, notes.
  const csv = (mark: string, n: number) => `url,name\n${demoId(n)},${mark} imported ${n}\nnot a playlist,${mark} bad row\n`;
  const a1 = await a.client.playlists.add.mutate({ url: demoId(1), name: `${AMARK} playlist one` });
  const b1 = await b.client.playlists.add.mutate({ url: demoId(11), name: `${BMARK} playlist eleven` });
  ofB.firstPlaylistId = b1.id;
  await a.client.activity.note.mutate({ message: `${AMARK} secret note one` });
  await b.client.activity.note.mutate({ message: `${BMARK} note one` });
  const aImport = await a.client.imports.start.mutate({ csv: csv(AMARK, 2), filename: `${AMARK}-first.csv` });
  const bImport = await b.client.imports.start.mutate({ csv: csv(BMARK, 12), filename: `${BMARK}-first.csv` });
  ofB.importId = bImport.importId;
  secretsOfA.importIds.push(aImport.importId);
  await settled(runtime, 'phase 1 jobs and imports');

  const aNote = await waitFor(
    () => aWatch.received.find((r) => eventsOf(r.data as Message).some((e) => (e.data as { message?: string }).message === `${AMARK} secret note one`)),
    { what: 'A\'s note on A\'s stream' },
  );
  aStreamId = aNote.id!;
  bEarlyId = bWatch.received.find((r) => eventsOf(r.data as Message).length > 0)!.id!;
  const aTracks = await runtime.db.select({ id: tracks.id }).from(tracks).where(eq(tracks.workspaceId, A)).limit(5);
  secretsOfA.trackIdsSample = aTracks.map((t) => t.id);
  const aJob = a1.jobId!;

  // Phase 2: B subscribes to all five, on both transports, four ways.
  const inputs: Record<Mode, (name: SubscriptionName) => Record<string, unknown>> = {
    fresh: () => ({}),
    resumeFromA: () => ({ lastEventId: aStreamId }),
    resumeFromB: () => ({ lastEventId: bEarlyId }),
    filteredOnA: (name) =>
      ({
        jobStatus: { jobId: aJob },
        trackStatus: { playlistId: a1.id, trackIds: secretsOfA.trackIdsSample },
        activityFeed: {},
        importProgress: { importId: aImport.importId },
        playlistUpdates: { playlistId: a1.id },
      })[name],
  };
  for (const transport of transports) {
    const { client, close } = clientFor(server, keyB, transport);
    cleanups.add(close);
    for (const name of subscriptionNames) {
      for (const mode of modes) {
        if (mode === 'filteredOnA' && name === 'activityFeed') continue; // it has no filter
        const rec = recorder();
        const procedure = client[name] as unknown as { subscribe: (input: unknown, handlers: Rec['handlers']) => { unsubscribe(): void } };
        const subscription = procedure.subscribe(inputs[mode](name), rec.handlers);
        cleanups.add(() => subscription.unsubscribe());
        received.set(recKey(transport, name, mode), rec);
      }
    }
  }
  await waitFor(() => [...received.values()].every((rec) => rec.received.length > 0 || rec.error), { what: 'every subscription\'s first message' });

  // Phase 3, live: A is busy (adds, refreshes, re-enriches, imports, notes) while B does a little.
  const [, b13] = await Promise.all([
    a.client.playlists.add.mutate({ url: demoId(3), name: `${AMARK} playlist three` }),
    b.client.playlists.add.mutate({ url: demoId(13), name: `${BMARK} playlist thirteen` }),
  ]);
  ofB.livePlaylistId = b13.id;
  ofB.liveJobId = b13.jobId!;
  await Promise.all([
    a.client.playlists.refresh.mutate({ id: a1.id }),
    a.client.tracks.reenrich.mutate({ id: secretsOfA.trackIdsSample[0]! }),
    a.client.activity.note.mutate({ message: `${AMARK} secret note two` }),
    a.client.analytics.refresh.mutate(),
    a.client.imports.start.mutate({ csv: csv(AMARK, 4), filename: `${AMARK}-second.csv` }).then((r) => secretsOfA.importIds.push(r.importId)),
    b.client.activity.note.mutate({ message: `${BMARK} live note` }),
    b.client.imports.start.mutate({ csv: csv(BMARK, 14), filename: `${BMARK}-second.csv` }).then((r) => (ofB.liveImportId = r.importId)),
  ]);
  await settled(runtime, 'phase 3 jobs and imports');
  await Promise.all([a.client.analytics.refresh.mutate(), b.client.analytics.refresh.mutate()]);
  // B's live events reached B's fresh subscriptions on both transports (what the live check relies on).
  for (const transport of transports) {
    await waitFor(() => liveOwnEvent(transport, 'jobStatus') && liveOwnEvent(transport, 'importProgress') && liveOwnEvent(transport, 'activityFeed'), {
      what: `B's live events over ${transport}`,
      timeoutMs: 15_000,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // stragglers, if any were to come

  // A's secrets, all of them, from the database.
  secretsOfA.playlistIds = (await runtime.db.select({ id: playlists.id }).from(playlists).where(eq(playlists.workspaceId, A))).map((r) => r.id);
  secretsOfA.spotifyIds = [demoId(1), demoId(2), demoId(3), demoId(4)];
  secretsOfA.jobIds = (await runtime.db.select({ id: enrichmentJobs.id }).from(enrichmentJobs).where(eq(enrichmentJobs.workspaceId, A))).map((r) => r.id);
  secretsOfA.trackIds = (await runtime.db.select({ id: tracks.id }).from(tracks).where(eq(tracks.workspaceId, A))).map((r) => r.id);
  secretsOfA.eventIds = (await runtime.db.select({ seq: events.seq }).from(events).where(eq(events.workspaceId, A))).map((r) => runtime.log.idOf(Number(r.seq)));
  ofB.eventIds = new Set((await runtime.db.select({ seq: events.seq }).from(events).where(eq(events.workspaceId, B))).map((r) => runtime.log.idOf(Number(r.seq))));
  ofB.playlistIds = (await runtime.db.select({ id: playlists.id }).from(playlists).where(eq(playlists.workspaceId, B))).map((r) => r.id);
  ofB.trackIds = (await runtime.db.select({ id: tracks.id }).from(tracks).where(eq(tracks.workspaceId, B))).map((r) => r.id);
  // Enrichment jobs: an import's fetch jobs share the table but are the import's, never listed as jobs.
  ofB.jobIds = (await runtime.db.select({ id: enrichmentJobs.id }).from(enrichmentJobs).where(and(eq(enrichmentJobs.workspaceId, B), eq(enrichmentJobs.kind, 'enrich')))).map((r) => r.id);
  ofB.importIds = (await runtime.db.select({ id: imports.id }).from(imports).where(eq(imports.workspaceId, B))).map((r) => r.id);
  expect(secretsOfA.playlistIds.length).toBeGreaterThanOrEqual(4);
  expect(secretsOfA.trackIds.length).toBeGreaterThan(20);
  expect(secretsOfA.jobIds.length).toBeGreaterThanOrEqual(4);
  expect(secretsOfA.importIds).toHaveLength(2);
}, 120_000);
afterAll(() => cleanups.run());

/** The live event of B's own that each fresh subscription must have received. */
function liveOwnEvent(transport: Transport, name: SubscriptionName): Envelope | undefined {
  const rec = received.get(recKey(transport, name, 'fresh'));
  if (!rec) return undefined;
  const live = envelopesOf(rec);
  const predicate: Record<SubscriptionName, (e: Envelope) => boolean> = {
    jobStatus: (e) => e.type === 'job_status_changed' && (e.data as { jobId: string; to: string }).jobId === ofB.liveJobId && (e.data as { to: string }).to === 'completed',
    trackStatus: (e) => e.type === 'track_status_changed' && (e.data as { jobId: string | null }).jobId === ofB.liveJobId,
    activityFeed: (e) => e.type === 'activity_logged' && (e.data as { message: string }).message === `${BMARK} live note`,
    importProgress: (e) => e.type === 'bulk_import_finished' && (e.data as { importId: string }).importId === ofB.liveImportId,
    playlistUpdates: (e) => e.type === 'playlist_updated' && (e.data as { playlistId: string }).playlistId === ofB.livePlaylistId,
  };
  return live.find(predicate[name]);
}

/** The strings of A that must not appear in anything B receives. */
function secretStrings(): string[] {
  return [
    A,
    AMARK,
    ...secretsOfA.playlistIds,
    ...secretsOfA.spotifyIds,
    ...secretsOfA.jobIds,
    ...secretsOfA.importIds,
    ...secretsOfA.trackIds,
  ];
}

function expectNothingOfA(text: string, where: string) {
  const found = secretStrings().filter((secret) => text.includes(secret));
  expect(found, `${where} carries A's ${found.join(', ')}`).toEqual([]);
}

describe.each(transports)('B\'s subscriptions over %s', (transport) => {
  describe.each(subscriptionNames)('%s', (name) => {
    test('fresh: a snapshot of B\'s own state, then B\'s live events, and nothing of A', async () => {
      const rec = received.get(recKey(transport, name, 'fresh'))!;
      expect(rec.error).toBeNull();
      const messages = messagesOf(rec);
      expect(messages[0]!.kind).toBe('snapshot');
      const snapshot = JSON.stringify(messages[0]!.snapshot);
      // B's own state is in it (so the search below is not over an empty snapshot).
      if (name === 'jobStatus') expect(ofB.jobIds.some((id) => snapshot.includes(id))).toBe(true);
      else if (name === 'trackStatus') expect(ofB.trackIds.some((id) => snapshot.includes(id))).toBe(true);
      else if (name === 'activityFeed') expect(snapshot).toContain(`${BMARK} note one`);
      else if (name === 'importProgress') expect(snapshot).toContain(ofB.importId);
      else expect(snapshot).toContain(ofB.firstPlaylistId);
      expect(liveOwnEvent(transport, name), `B's own live ${name} event`).toBeDefined();
      expectNothingOfA(JSON.stringify(rec.received), `${transport} ${name} (fresh)`);
    });

    test('resumed from an id of A\'s stream: a typed resync, then a snapshot of B\'s own state, nothing of A', () => {
      const rec = received.get(recKey(transport, name, 'resumeFromA'))!;
      expect(rec.error).toBeNull();
      const messages = messagesOf(rec);
      expect(messages[0]).toMatchObject({ kind: 'resync', reason: expect.any(String), message: expect.any(String) });
      expect(messages[1]!.kind).toBe('snapshot');
      expectNothingOfA(JSON.stringify(rec.received), `${transport} ${name} (resumed from A's id)`);
    });

    test('resumed from an early id of B\'s own: a replay of B\'s events only (A\'s, interleaved, are skipped)', () => {
      const rec = received.get(recKey(transport, name, 'resumeFromB'))!;
      expect(rec.error).toBeNull();
      const messages = messagesOf(rec);
      expect(messages[0]!.kind === 'event' || messages[0]!.kind === 'batch', `first message is ${messages[0]!.kind}`).toBe(true);
      expect(envelopesOf(rec).length).toBeGreaterThan(0);
      expectNothingOfA(JSON.stringify(rec.received), `${transport} ${name} (resumed from B's id)`);
    });

    if (name !== 'activityFeed') {
      test('filtered on A\'s ids: an empty snapshot and no events', () => {
        const rec = received.get(recKey(transport, name, 'filteredOnA'))!;
        expect(rec.error).toBeNull();
        const messages = messagesOf(rec);
        expect(messages[0]!.kind).toBe('snapshot');
        const snapshot = messages[0]!.snapshot as Record<string, unknown>;
        const list = { jobStatus: 'jobs', trackStatus: 'tracks', importProgress: 'imports', playlistUpdates: 'playlists' }[name as Exclude<SubscriptionName, 'activityFeed'>];
        expect(snapshot[list]).toEqual([]);
        // analytics_updated is workspace-wide (B's own) and may reach a filtered playlistUpdates.
        const events = envelopesOf(rec).filter((e) => e.type !== 'analytics_updated');
        expect(events).toEqual([]);
        expectNothingOfA(JSON.stringify(rec.received), `${transport} ${name} (filtered on A's ids)`);
      });
    }
  });

  test('every event B received is one of B\'s, and every id B was sent names B\'s events (never one of A\'s)', () => {
    const recs = [...received.entries()].filter(([key]) => key.startsWith(`${transport} `)).map(([, rec]) => rec);
    const envelopes = recs.flatMap(envelopesOf);
    expect(envelopes.length).toBeGreaterThan(20);
    expect([...new Set(envelopes.map((e) => e.workspaceId))]).toEqual([B]);
    const aIds = new Set(secretsOfA.eventIds);
    const sentIds = [...recs.flatMap((rec) => rec.received.map((r) => r.id)), ...envelopes.map((e) => e.id)].filter((id): id is string => !!id);
    expect(sentIds.filter((id) => aIds.has(id))).toEqual([]);
    // Tracked ids are positions in B's stream: B's own event ids (or the start, when B had none).
    const trackedIds = recs.flatMap((rec) => rec.received.map((r) => r.id)).filter((id): id is string => !!id);
    expect(trackedIds.filter((id) => !ofB.eventIds.has(id) && id !== runtime.log.idOf(0))).toEqual([]);
  });
});

describe('B\'s queries over HTTP with a session cookie', () => {
  async function codeOf(work: Promise<unknown>) {
    try {
      const value = await work;
      return { code: 'ok', value };
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error;
      return { code: (error.data as { code?: string } | undefined)?.code, message: error.message };
    }
  }

  test('lists and singles show B\'s own data and nothing of A', async () => {
    const { client } = cookieClient(server, ownerB.cookie, 'sse');
    const results = {
      playlists: await client.playlists.list.query(),
      playlist: await client.playlists.get.query({ id: ofB.firstPlaylistId }),
      tracks: await client.tracks.list.query(),
      track: await client.tracks.get.query({ id: ofB.trackIds[0]! }),
      jobs: await client.jobs.list.query(),
      job: await client.jobs.get.query({ id: ofB.liveJobId }),
      imports: await client.imports.list.query(),
      import: await client.imports.get.query({ importId: ofB.importId }),
      errors: await client.imports.errors.query({ importId: ofB.importId }),
      activity: await client.activity.list.query({ limit: 200 }),
      analytics: await client.analytics.get.query(),
      workspace: await client.workspace.current.query(),
      apiKeys: await client.apiKeys.list.query(),
    };
    expectNothingOfA(JSON.stringify(results), 'B\'s queries');
    expect(results.playlists.map((p) => p.id).sort()).toEqual([...ofB.playlistIds].sort());
    expect(results.tracks.map((t) => t.id).sort()).toEqual([...ofB.trackIds].sort());
    expect(results.jobs.map((j) => j.id).sort()).toEqual([...ofB.jobIds].sort());
    expect(results.imports.map((i) => i.id).sort()).toEqual([...ofB.importIds].sort());
    expect(results.errors.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(results.activity)).toContain(`${BMARK} live note`);
    expect(results.workspace.workspace.id).toBe(B);
    const data = results.analytics?.data as { playlists: number; tracks: number } | undefined;
    expect(data).toMatchObject({ playlists: ofB.playlistIds.length, tracks: ofB.trackIds.length });
    const keysOfB = await runtime.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.referenceId, B));
    expect(results.apiKeys.map((k) => k.id).sort()).toEqual(keysOfB.map((k) => k.id).sort());
  });

  test('gets with A\'s ids answer NOT_FOUND, and filters on A\'s ids give nothing', async () => {
    const { client } = cookieClient(server, ownerB.cookie, 'sse');
    const attempts = [
      ...secretsOfA.playlistIds.map((id) => client.playlists.get.query({ id })),
      ...secretsOfA.trackIds.slice(0, 10).map((id) => client.tracks.get.query({ id })),
      ...secretsOfA.jobIds.map((id) => client.jobs.get.query({ id })),
      ...secretsOfA.importIds.map((importId) => client.imports.get.query({ importId })),
      ...secretsOfA.importIds.map((importId) => client.imports.errors.query({ importId })),
    ];
    const outcomes = await Promise.all(attempts.map(codeOf));
    expect(outcomes.map((o) => o.code)).toEqual(outcomes.map(() => 'NOT_FOUND'));
    expectNothingOfA(JSON.stringify(outcomes.map((o) => ('value' in o ? o.value : null))), 'B\'s gets of A\'s ids');
    expect(await client.tracks.list.query({ playlistId: secretsOfA.playlistIds[0]! })).toEqual([]);
    expect(await client.jobs.list.query({ playlistId: secretsOfA.playlistIds[0]! })).toEqual([]);
  });

  test('B\'s mutations on A\'s ids answer NOT_FOUND and leave A untouched', async () => {
    const { client } = cookieClient(server, ownerB.cookie, 'sse');
    const before = await runtime.db.select({ id: playlists.id }).from(playlists).where(eq(playlists.workspaceId, A));
    const outcomes = await Promise.all([
      codeOf(client.playlists.remove.mutate({ id: secretsOfA.playlistIds[0]! })),
      codeOf(client.playlists.refresh.mutate({ id: secretsOfA.playlistIds[0]! })),
      codeOf(client.jobs.enqueue.mutate({ playlistId: secretsOfA.playlistIds[0]! })),
      codeOf(client.jobs.retry.mutate({ id: secretsOfA.jobIds[0]! })),
      codeOf(client.jobs.cancel.mutate({ id: secretsOfA.jobIds[0]! })),
      codeOf(client.tracks.reenrich.mutate({ id: secretsOfA.trackIds[0]! })),
      codeOf(client.imports.cancel.mutate({ importId: secretsOfA.importIds[0]! })),
    ]);
    expect(outcomes.map((o) => o.code)).toEqual(outcomes.map(() => 'NOT_FOUND'));
    const after = await runtime.db.select({ id: playlists.id }).from(playlists).where(eq(playlists.workspaceId, A));
    expect(after).toHaveLength(before.length);
  });
});

describe('route handlers (the Next route modules, called with a fetch Request)', () => {
  const errorsCsv = (importId: string, headers: Record<string, string>) =>
    errorsCsvRoute(new Request(`${server.url}/api/imports/${importId}/errors.csv`, { headers }), { params: Promise.resolve({ importId }) });

  test('GET errors.csv of A\'s import with B\'s credentials: 404, nothing of A', async () => {
    for (const headers of [{ cookie: ownerB.cookie }, { authorization: `Bearer ${keyB}` }] as Record<string, string>[]) {
      for (const importId of secretsOfA.importIds) {
        const response = await errorsCsv(importId, headers);
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain(AMARK);
      }
    }
    // Control: A gets its own report, and B its own.
    const own = await errorsCsv(secretsOfA.importIds[0]!, { authorization: `Bearer ${keyA}` });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(`${AMARK} bad row`);
    const bOwn = await errorsCsv(ofB.importId, { cookie: ownerB.cookie });
    expect(bOwn.status).toBe(200);
    const bText = await bOwn.text();
    expect(bText).toContain(`${BMARK} bad row`);
    expect(bText).not.toContain(AMARK);
  });

  test('POST /api/activity/notes with B\'s key writes to B only', async () => {
    const message = `${BMARK} note through the route`;
    const response = await postNoteRoute(
      new Request(`${server.url}/api/activity/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keyB}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      }),
    );
    expect(response.status).toBe(201);
    const rows = await runtime.db.select({ workspaceId: activity.workspaceId }).from(activity).where(eq(activity.message, message));
    expect(rows).toEqual([{ workspaceId: B }]);
    const inA = await runtime.db.select({ id: activity.id }).from(activity).where(and(eq(activity.workspaceId, A), eq(activity.message, message)));
    expect(inA).toEqual([]);
  });
});
