/**
 * Runs imports' intake in the background: at most IMPORT_CONCURRENCY_PER_WORKSPACE imports
 * running at once per workspace (reading rows or waiting for their fetches), the rest wait in
 * status `queued` (the database is the queue, oldest first). A slot frees when an import
 * finishes, whichever process settled its last fetch: bulk_import_finished on the bus starts the
 * next one.
 *
 * Across instances, one runner per import: each importer has an owner id, and an import's rows
 * are read only by the importer holding its lease (import-lease.ts), set when it moves the import
 * queued -> running. The sweeper takes over an import whose lease lapsed (its instance died or
 * stalled) or was released (its instance stopped); exactly one instance wins each takeover, and
 * the import stays `running` throughout, so it keeps its slot and the workspace limit holds.
 *
 * One importer per runtime, process-wide: the registry lives on globalThis, so the route
 * handlers Next bundles (a second copy of this module) and the tRPC router reach the same
 * importer, and concurrency and cancel hold for the process. `importerFor(runtime)` finds it;
 * `startImporter` also takes over the imports a crash or restart left running, and keeps
 * sweeping for lapsed leases.
 */
import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { imports } from '../db/schema';
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';
import { log } from '../log';
import type { Runtime } from '../runtime';
import { finishIfSettled, type ImportRecord } from './finish-import';
import { leasedTo, newImportOwnerId, releaseImportLease, takeOverLapsedImports } from './import-lease';
import { runImport, type StopReason } from './run-import';

interface Run {
  workspaceId: string;
  controller: AbortController;
  done: Promise<void>;
}

export interface ImporterOptions {
  /** The lease owner id; one per importer by default (`host:pid:import-xxxxxxxx`). */
  owner?: string;
}

export class Importer {
  readonly owner: string;
  private readonly running = new Map<string, Run>();
  // Claims per workspace run one after another, so two of them never both take the last slot.
  private readonly filling = new Map<string, Promise<void>>();
  private pendingFills = 0;
  private stopped = false;
  private sweeper: StoppableTimer | null = null;
  private readonly detachBus: () => void;

  constructor(
    private readonly runtime: Runtime,
    opts: ImporterOptions = {},
  ) {
    this.owner = opts.owner ?? newImportOwnerId();
    this.detachBus = runtime.bus.listen((events) => {
      for (const event of events) if (event.type === 'bulk_import_finished' && !this.stopped) void this.schedule(event.workspaceId);
    });
  }

  /** Starts queued imports of the workspace while it has free slots. */
  schedule(workspaceId: string): Promise<void> {
    this.pendingFills++;
    const next = (this.filling.get(workspaceId) ?? Promise.resolve()).then(() => this.fill(workspaceId));
    const settled = next
      .catch((error: unknown) => log.error({ err: error, workspaceId }, 'could not start a queued import'))
      .finally(() => this.pendingFills--);
    this.filling.set(workspaceId, settled);
    return settled;
  }

  /** At start: resumeInterrupted, then a sweep every IMPORT_SWEEP_INTERVAL_MS until stop(). */
  async start(): Promise<void> {
    await this.resumeInterrupted();
    if (this.stopped || this.sweeper) return;
    this.sweeper = startTimer(this.runtime.config.IMPORT_SWEEP_INTERVAL_MS, async () => {
      try {
        await this.sweep();
      } catch (error) {
        log.warn({ err: error }, 'import sweep failed');
      }
    });
  }

  /**
   * Continues the imports whose runner is gone (left `running` by a process that stopped or died,
   * once its lease lapsed), then starts what is queued. An import whose lease is live is left to
   * its runner, whichever instance that is.
   */
  async resumeInterrupted(): Promise<void> {
    await this.finishSettledReadImports();
    await this.sweep();
  }

  /** Takes over imports whose lease lapsed, and fills free slots with queued imports. */
  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const { db, config } = this.runtime;
    for (const taken of await takeOverLapsedImports(db, this.owner, config.IMPORT_LEASE_MS)) {
      log.info({ importId: taken.id }, 'taking over an import whose runner stopped');
      await this.launchOrRelease(taken.id, taken.workspaceId);
    }
    // Slots freed elsewhere normally arrive as bulk_import_finished; this covers a finish whose event this instance missed.
    const queued = await db.selectDistinct({ workspaceId: imports.workspaceId }).from(imports).where(eq(imports.status, 'queued'));
    await Promise.all(queued.map((row) => this.schedule(row.workspaceId)));
  }

  /**
   * An import an older version marked read but never finished (it stopped between the two) waits
   * for no fetch and has no runner: finish it. Runs on the locked row, so with several instances
   * starting at once it finishes once.
   */
  private async finishSettledReadImports(): Promise<void> {
    const stuck = await this.runtime.db
      .select({ id: imports.id })
      .from(imports)
      .where(and(eq(imports.status, 'running'), isNotNull(imports.rowsReadAt), sql`${imports.fetched} + ${imports.fetchFailed} >= ${imports.toFetch}`));
    for (const { id } of stuck) {
      await this.runtime.log.transaction(async (tx) => {
        const [row] = await tx.db.select().from(imports).where(eq(imports.id, id)).for('update');
        if (row) await finishIfSettled(tx, row as ImportRecord);
      });
    }
  }

  /** Stops a running import at its next row (the run then finishes it as cancelled). */
  cancel(importId: string): void {
    this.running.get(importId)?.controller.abort('cancel' satisfies StopReason);
  }

  isRunning(importId: string): boolean {
    return this.running.has(importId);
  }

  /**
   * Resolves when nothing reads or waits to start here and no import in the database is still
   * queued or running, fetches included (tests and the benchmark wait on it: a worker with fetch
   * loops must be running somewhere, or an import with playlists to fetch never settles).
   */
  async idle(): Promise<void> {
    for (;;) {
      while (this.running.size > 0 || this.pendingFills > 0) {
        await Promise.all([...this.running.values()].map((run) => run.done));
        await Promise.all([...this.filling.values()]);
      }
      const [busy] = await this.runtime.db.select({ n: count() }).from(imports).where(inArray(imports.status, ['queued', 'running']));
      if (Number(busy?.n ?? 0) === 0 && this.running.size === 0 && this.pendingFills === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Stops every run at its next chunk, leaving them `running` with their leases released, so
   * another instance (or the next start) continues them at once.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.detachBus();
    await this.sweeper?.stop();
    for (const run of this.running.values()) run.controller.abort('shutdown' satisfies StopReason);
    await Promise.all([...this.running.values()].map((run) => run.done));
    await Promise.all([...this.filling.values()]);
  }

  private async fill(workspaceId: string): Promise<void> {
    while (!this.stopped) {
      const importId = await this.claimNext(workspaceId);
      if (!importId) return;
      await this.launchOrRelease(importId, workspaceId);
    }
  }

  /**
   * Starts the workspace's oldest queued import if it has a free slot. Slots are counted in the
   * database (an import keeps its slot while its fetches run, in whichever process), under a
   * per-workspace lock so two processes never both take the last one. The same update gives
   * this importer the lease.
   */
  private async claimNext(workspaceId: string): Promise<string | null> {
    const limit = this.runtime.config.IMPORT_CONCURRENCY_PER_WORKSPACE;
    return this.runtime.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`import-slots:${workspaceId}`}))`);
      const [running] = await tx.select({ n: count() }).from(imports).where(and(eq(imports.workspaceId, workspaceId), eq(imports.status, 'running')));
      if (Number(running?.n ?? 0) >= limit) return null;
      const [claimed] = await tx
        .update(imports)
        .set({ status: 'running', startedAt: sql`coalesce(${imports.startedAt}, now())`, updatedAt: new Date(), ...leasedTo(this.owner, this.runtime.config.IMPORT_LEASE_MS) })
        .where(
          and(
            eq(imports.status, 'queued'),
            eq(
              imports.id,
              sql`(SELECT id FROM imports WHERE workspace_id = ${workspaceId} AND status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)`,
            ),
          ),
        )
        .returning({ id: imports.id });
      return claimed?.id ?? null;
    });
  }

  /** Runs an import this importer just leased; if it is stopping meanwhile, lets the lease go for another instance. */
  private async launchOrRelease(importId: string, workspaceId: string): Promise<void> {
    if (this.launch(importId, workspaceId)) return;
    await releaseImportLease(this.runtime.db, importId, this.owner);
  }

  /** Starts the run; false when stopping. (Already running here: the lease came back to its own runner, which continues.) */
  private launch(importId: string, workspaceId: string): boolean {
    if (this.stopped) return false;
    if (this.running.has(importId)) return true;
    const controller = new AbortController();
    const done = runImport(this.runtime, importId, this.owner, controller.signal)
      .catch((error: unknown) => log.error({ err: error, importId }, 'import run failed'))
      .finally(() => {
        this.running.delete(importId);
        if (!this.stopped) void this.schedule(workspaceId);
      });
    this.running.set(importId, { workspaceId, controller, done });
    return true;
  }
}

// Process-wide (see the file's comment): Symbol.for gives every copy of this module the same key.
const importersKey = Symbol.for('linernotes.importers');
const importers = ((globalThis as Record<symbol, unknown>)[importersKey] ??= new WeakMap<Runtime, Importer>()) as WeakMap<Runtime, Importer>;

/** The runtime's importer, created on first use; it stops (runs left resumable) when the runtime closes. */
export function importerFor(runtime: Runtime): Importer {
  let importer = importers.get(runtime);
  if (!importer) {
    const created = new Importer(runtime);
    importers.set(runtime, created);
    runtime.onClose.push(() => created.stop());
    importer = created;
  }
  return importer;
}

/** For the server process: the importer, with the imports a previous process left running resumed, and its sweeper running. */
export async function startImporter(runtime: Runtime): Promise<Importer> {
  const importer = importerFor(runtime);
  await importer.start();
  return importer;
}
