/**
 * One runner per import across instances (src/server/imports/import-lease.ts): two importers on
 * one database (two Importer instances with their own owner ids on one runtime; on Postgres also
 * two runtimes) never both read an import; a lapsed or released lease is taken over by exactly one
 * of them; a runner that lost its lease writes nothing more; a takeover keeps the workspace limit.
 * Every case ends on exact counters, one outcome per row and exactly one bulk_import_finished.
 * Nothing here asserts a duration: a lease is made too long to lapse in the test when a case must
 * show that only a release (not expiry) let the other importer in.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { enrichmentJobs, events, importRows, imports, playlists } from '~/server/db/schema';
import { Importer, importerFor } from '~/server/imports/importer';
import { takeOverLapsedImports } from '~/server/imports/import-lease';
import type { Runtime } from '~/server/runtime';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, postgresUrl, type TestRuntime } from '../support/runtime';
import { importFile, importRuntime } from './support';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Importers first (their runs use the runtime), runtimes last.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runtimeFor(engine: (typeof engines)[number], env: Record<string, string> = {}): Promise<TestRuntime> {
  // Small chunks, so a few thousand rows are still being read when the test steps in.
  const runtime = await importRuntime({ engine, env: { IMPORT_COMMIT_EVERY_ROWS: '5', IMPORT_SWEEP_INTERVAL_MS: '100', ...env } });
  cleanups.push(() => runtime.dispose());
  return runtime;
}

/** A second importer on the runtime (another instance, as far as leases go), stopped after the test. */
function otherImporter(runtime: Runtime, owner: string): Importer {
  const importer = new Importer(runtime, { owner });
  cleanups.push(() => importer.stop());
  return importer;
}


async function importRow(runtime: Runtime, importId: string) {
  const [row] = await runtime.db.select().from(imports).where(eq(imports.id, importId));
  return row!;
}

/** An import written straight to the database, as another instance (alive or dead) left it. */
async function insertImport(runtime: TestRuntime, csv: string, fields: Partial<typeof imports.$inferInsert>) {
  const [row] = await runtime.db
    .insert(imports)
    .values({ workspaceId: runtime.workspaceId, csv, total: csv.trim().split('\n').length - 1, ...fields })
    .returning({ id: imports.id });
  return row!.id;
}

const deadLease = { status: 'running' as const, startedAt: new Date(), leaseOwner: 'dead-host:1:import-dead', leaseExpiresAt: new Date(Date.now() - 60_000) };

async function completed(runtime: Runtime, importId: string) {
  return waitFor(
    async () => {
      const row = await importRow(runtime, importId);
      return row.status === 'completed' ? row : null;
    },
    { timeoutMs: 60_000, what: `import ${importId} to complete` },
  );
}

/** What the database holds of a finished import: outcomes per row, the reasons of its duplicates, its finish events, its playlists. */
async function settled(runtime: Runtime, importId: string) {
  const outcomes = await runtime.db
    .select({ outcome: importRows.outcome, reason: importRows.reason, n: count() })
    .from(importRows)
    .where(eq(importRows.importId, importId))
    .groupBy(importRows.outcome, importRows.reason);
  const byOutcome: Record<string, number> = {};
  for (const o of outcomes) byOutcome[o.outcome] = (byOutcome[o.outcome] ?? 0) + Number(o.n);
  const [finishes] = await runtime.db
    .select({ n: count() })
    .from(events)
    .where(and(eq(events.type, 'bulk_import_finished'), sql`${events.data}->>'importId' = ${importId}`));
  const [fetches] = await runtime.db.select({ n: count() }).from(enrichmentJobs).where(and(eq(enrichmentJobs.importId, importId), eq(enrichmentJobs.kind, 'fetch')));
  return {
    byOutcome,
    alreadyTracked: outcomes.filter((o) => o.reason === 'already tracked in this workspace').reduce((n, o) => n + Number(o.n), 0),
    finishEvents: Number(finishes!.n),
    fetchJobs: Number(fetches!.n),
  };
}

/** Exact: every row once, the counters agree with the rows, one finish, none of its own playlists taken for "already tracked". */
async function expectExact(runtime: Runtime, importId: string, rows: number, expected: { created: number; duplicates: number; failed: number }) {
  const done = await completed(runtime, importId);
  expect(done).toMatchObject({ total: rows, processed: rows, lastRow: rows, ...expected, toFetch: expected.created, fetched: expected.created, fetchFailed: 0 });
  expect(done.leaseOwner).toBeNull();
  const after = await settled(runtime, importId);
  expect(after.byOutcome).toEqual({ created: expected.created, duplicate: expected.duplicates, failed: expected.failed });
  expect(after.alreadyTracked).toBe(0);
  expect(after.finishEvents).toBe(1);
  expect(after.fetchJobs).toBe(expected.created);
}

/** Records who held the import's lease while its rows were read, until `stop()`. */
function watchOwners(runtime: Runtime, importId: string) {
  const owners = new Set<string | null>();
  const timer = setInterval(
    () => void importRow(runtime, importId).then((row) => row.rowsReadAt === null && row.status === 'running' && owners.add(row.leaseOwner), () => {}),
    25,
  );
  return { owners, stop: () => clearInterval(timer) };
}

/**
 * Each case reads thousands of rows in small chunks and fetches what they add: 15-30 s on a loaded
 * 2-core machine (a clean-clone CI run timed one out at the default 30 s), so 90 s each.
 */
const CASE_TIMEOUT = 90_000;

describe.each(engines)('on %s', { timeout: CASE_TIMEOUT }, (engine) => {
  test("another importer's start and sweeper leave a live import to its runner; a dead instance's import they take", async () => {
    // A short lease, shorter than reading the file takes: only A's renewals keep the import with A.
    const runtime = await runtimeFor(engine, { IMPORT_LEASE_MS: '2000' });
    const { csv, expected } = importFile(4_000);
    const { importId } = await callerFor(runtime).imports.start({ csv, filename: 'live.csv' });
    await waitFor(async () => (await importRow(runtime, importId)).processed >= 100, { what: '100 rows read' });
    const ownerA = (await importRow(runtime, importId)).leaseOwner;
    expect(ownerA).not.toBeNull();
    // Control: an import a dead instance left, which B must take over (so B's sweep is really running).
    const orphan = importFile(300, 1_000);
    const orphanId = await insertImport(runtime, orphan.csv, deadLease);

    const watch = watchOwners(runtime, importId);
    const b = otherImporter(runtime, 'instance-b:2:import-b');
    await b.start();
    try {
      await expectExact(runtime, orphanId, 300, orphan.expected);
      await expectExact(runtime, importId, 4_000, expected);
    } finally {
      watch.stop();
    }
    expect(b.isRunning(importId)).toBe(false);
    expect([...watch.owners]).toEqual([ownerA]);
  });

  test('a lease taken from a runner: it writes nothing more; once that lease lapses, another importer finishes the import exactly', async () => {
    const runtime = await runtimeFor(engine, { IMPORT_LEASE_MS: '2000' });
    const { csv, expected } = importFile(4_000);
    const { importId } = await callerFor(runtime).imports.start({ csv, filename: 'stolen.csv' });
    const a = importerFor(runtime);
    await waitFor(async () => (await importRow(runtime, importId)).processed >= 100, { what: '100 rows read' });

    // Another instance holds it now (as after a takeover of A's lapsed lease), for an hour.
    await runtime.db.update(imports).set({ leaseOwner: 'thief:3:import-thief', leaseExpiresAt: sql`now() + interval '1 hour'` }).where(eq(imports.id, importId));
    await waitFor(() => !a.isRunning(importId), { what: 'the runner that lost its lease to stop' });
    const atStop = await importRow(runtime, importId);
    expect(atStop).toMatchObject({ status: 'running', rowsReadAt: null, leaseOwner: 'thief:3:import-thief' });
    expect(atStop.lastRow).toBeLessThan(4_000);
    // What A committed is whole: every committed row counted once, nothing past last_row.
    const [written] = await runtime.db.select({ n: count() }).from(importRows).where(eq(importRows.importId, importId));
    expect(Number(written!.n)).toBe(atStop.lastRow);
    expect(atStop.processed).toBe(atStop.lastRow);

    // B starts while the thief's lease is live: it leaves the import be.
    const b = otherImporter(runtime, 'instance-b:2:import-b');
    await b.start();
    expect(b.isRunning(importId)).toBe(false);
    expect(await importRow(runtime, importId)).toMatchObject({ lastRow: atStop.lastRow, leaseOwner: 'thief:3:import-thief' });

    // The thief dies: its lease lapses, and B's sweeper takes the import over from last_row.
    await runtime.db.update(imports).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(imports.id, importId));
    await waitFor(async () => (await importRow(runtime, importId)).leaseOwner === b.owner, { what: 'B to take the import over' });
    expect(a.isRunning(importId)).toBe(false);
    await expectExact(runtime, importId, 4_000, expected);
  });

  test('a graceful stop releases the lease at once: another importer continues without waiting for it to lapse', async () => {
    // An hour-long lease: within this test only a release lets B in.
    const runtime = await runtimeFor(engine, { IMPORT_LEASE_MS: '3600000' });
    const a = otherImporter(runtime, 'instance-a:1:import-a');
    const { csv, expected } = importFile(4_000);
    const importId = await insertImport(runtime, csv, { status: 'queued', filename: 'released.csv' });
    await a.schedule(runtime.workspaceId);
    expect((await importRow(runtime, importId)).leaseOwner).toBe(a.owner);
    const b = otherImporter(runtime, 'instance-b:2:import-b');
    await b.start();
    await waitFor(async () => (await importRow(runtime, importId)).processed >= 100, { what: '100 rows read' });
    expect(b.isRunning(importId)).toBe(false);

    await a.stop();
    const atStop = await importRow(runtime, importId);
    expect(atStop.status).toBe('running');
    expect(atStop.rowsReadAt).toBeNull();
    expect([null, b.owner]).toContain(atStop.leaseOwner);
    await waitFor(async () => (await importRow(runtime, importId)).leaseOwner === b.owner, { what: 'B to take the released import over' });
    await expectExact(runtime, importId, 4_000, expected);
  });

  test('a takeover keeps its slot: never more imports of a workspace running than the limit, across importers', async () => {
    const runtime = await runtimeFor(engine, { IMPORT_CONCURRENCY_PER_WORKSPACE: '1', IMPORT_LEASE_MS: '2000' });
    const taken = importFile(500, 1);
    const waiting = importFile(500, 100);
    const takenId = await insertImport(runtime, taken.csv, deadLease);
    const waitingId = await insertImport(runtime, waiting.csv, { status: 'queued' });
    let most = 0;
    const watch = setInterval(
      () =>
        void runtime.db
          .select({ n: count() })
          .from(imports)
          .where(and(eq(imports.workspaceId, runtime.workspaceId), eq(imports.status, 'running')))
          .then(([row]) => (most = Math.max(most, Number(row!.n))), () => {}),
      10,
    );
    try {
      // Both importers start and sweep; both would start the queued import if the slot were free.
      const a = otherImporter(runtime, 'instance-a:1:import-a');
      const b = otherImporter(runtime, 'instance-b:2:import-b');
      await Promise.all([a.start(), b.start()]);
      expect(await importRow(runtime, waitingId)).toMatchObject({ status: 'queued' });
      await expectExact(runtime, takenId, 500, taken.expected);
      await expectExact(runtime, waitingId, 500, waiting.expected);
    } finally {
      clearInterval(watch);
    }
    expect(most).toBe(1);
    const [first, second] = [await importRow(runtime, takenId), await importRow(runtime, waitingId)];
    expect(second.startedAt!.getTime()).toBeGreaterThanOrEqual(first.finishedAt!.getTime());
  });

  test('two importers sweeping at once: each lapsed import goes to exactly one; live, read and queued ones to neither', async () => {
    const runtime = await runtimeFor(engine, { IMPORT_LEASE_MS: '60000' });
    const { csv } = importFile(10);
    const lapsedIds = await Promise.all(Array.from({ length: 12 }, () => insertImport(runtime, csv, deadLease)));
    const untouched = await Promise.all([
      insertImport(runtime, csv, { ...deadLease, leaseExpiresAt: new Date(Date.now() + 60_000) }),
      insertImport(runtime, csv, { ...deadLease, rowsReadAt: new Date() }),
      insertImport(runtime, csv, { status: 'queued' }),
    ]);
    // Straight at the lease module (no runs): on Postgres the two statements race on two connections.
    const [toA, toB] = await Promise.all([
      takeOverLapsedImports(runtime.db, 'instance-a:1:import-a', 60_000),
      takeOverLapsedImports(runtime.db, 'instance-b:2:import-b', 60_000),
    ]);
    const ids = [...toA, ...toB].map((row) => row.id);
    expect(ids.sort()).toEqual([...lapsedIds].sort());
    const owners = await runtime.db.select({ id: imports.id, owner: imports.leaseOwner }).from(imports).where(inArray(imports.id, lapsedIds));
    for (const { id, owner } of owners) expect(owner).toBe(toA.some((row) => row.id === id) ? 'instance-a:1:import-a' : 'instance-b:2:import-b');
    const rest = await runtime.db.select({ owner: imports.leaseOwner }).from(imports).where(inArray(imports.id, untouched));
    expect(rest.map((row) => row.owner)).not.toContain('instance-a:1:import-a');
    expect(rest.map((row) => row.owner)).not.toContain('instance-b:2:import-b');
    // Held now: a second sweep takes nothing.
    expect(await takeOverLapsedImports(runtime.db, 'instance-c:4:import-c', 60_000)).toEqual([]);
  });
});

describe.skipIf(!postgresUrl)('two runtimes on one Postgres database', { timeout: CASE_TIMEOUT }, () => {
  test('an instance killed mid-import (connections gone, nothing released): the other takes it over once the lease lapses, exact', async () => {
    const b = await runtimeFor('postgres', { IMPORT_LEASE_MS: '1500' });
    // Instance A: the same database, no fetch loops; its importer is not registered with the runtime, so closing it releases nothing.
    const aRuntime = await importRuntime({ config: b.target, fetch: false });
    let aClosed = false;
    cleanups.push(async () => {
      if (!aClosed) await aRuntime.close();
    });
    const a = new Importer(aRuntime, { owner: 'instance-a:1:import-a' });
    const { csv, expected } = importFile(4_000);
    const importId = await insertImport(b, csv, { status: 'queued', filename: 'killed.csv' });
    await a.schedule(b.workspaceId);
    await waitFor(async () => (await importRow(b, importId)).processed >= 100, { what: '100 rows read' });

    const importerB = otherImporter(b, 'instance-b:2:import-b');
    await importerB.start();
    expect(importerB.isRunning(importId)).toBe(false);
    // The kill: A's pool closes under its run; its lease stays as it was, and lapses.
    await aRuntime.close();
    aClosed = true;
    const atKill = await importRow(b, importId);
    expect(atKill.rowsReadAt).toBeNull();
    expect([a.owner, importerB.owner]).toContain(atKill.leaseOwner);
    await waitFor(async () => (await importRow(b, importId)).leaseOwner === importerB.owner || null, { what: 'B to take the import over', timeoutMs: 30_000 });
    await expectExact(b, importId, 4_000, expected);
  });
});
