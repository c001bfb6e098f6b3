/**
 * Runs imports' intake in the background: at most IMPORT_CONCURRENCY_PER_WORKSPACE imports
 * running at once per workspace (reading rows or waiting for their fetches), the rest wait in
 * status `queued` (the database is the queue, oldest first). A slot frees when an import
 * finishes, whichever process settled its last fetch: bulk_import_finished on the bus starts the
 * next one.
 *
 * One importer per runtime, process-wide: the registry lives on globalThis, so the route
 * handlers Next bundles (a second copy of this module) and the tRPC router reach the same
 * importer, and concurrency and cancel hold for the process. `importerFor(runtime)` finds it;
 * `startImporter` also resumes the imports a crash or restart left running.
 */
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { imports } from '../db/schema';
import { log } from '../log';
import type { Runtime } from '../runtime';
import { runImport, type StopReason } from './run-import';

interface Run {
  workspaceId: string;
  controller: AbortController;
  done: Promise<void>;
}

export class Importer {
  private readonly running = new Map<string, Run>();
  // Claims per workspace run one after another, so two of them never both take the last slot.
  private readonly filling = new Map<string, Promise<void>>();
  private pendingFills = 0;
  private stopped = false;
  private readonly detachBus: () => void;

  constructor(private readonly runtime: Runtime) {
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

  /** Continues imports left `running` by a process that stopped, then starts what is queued. */
  async resumeInterrupted(): Promise<void> {
    const interrupted = await this.runtime.db
      .select({ id: imports.id, workspaceId: imports.workspaceId })
      .from(imports)
      .where(eq(imports.status, 'running'))
      .orderBy(asc(imports.createdAt));
    for (const row of interrupted) {
      log.info({ importId: row.id }, 'resuming an interrupted import');
      this.launch(row.id, row.workspaceId);
    }
    const queued = await this.runtime.db.selectDistinct({ workspaceId: imports.workspaceId }).from(imports).where(eq(imports.status, 'queued'));
    await Promise.all(queued.map((row) => this.schedule(row.workspaceId)));
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

  /** Stops every run at its next chunk, leaving them `running` so the next start resumes them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.detachBus();
    for (const run of this.running.values()) run.controller.abort('shutdown' satisfies StopReason);
    await Promise.all([...this.running.values()].map((run) => run.done));
    await Promise.all([...this.filling.values()]);
  }

  private async fill(workspaceId: string): Promise<void> {
    while (!this.stopped) {
      const importId = await this.claimNext(workspaceId);
      if (!importId) return;
      this.launch(importId, workspaceId);
    }
  }

  /**
   * Starts the workspace's oldest queued import if it has a free slot. Slots are counted in the
   * database (an import keeps its slot while its fetches run, in whichever process), under a
   * per-workspace lock so two processes never both take the last one.
   */
  private async claimNext(workspaceId: string): Promise<string | null> {
    const limit = this.runtime.config.IMPORT_CONCURRENCY_PER_WORKSPACE;
    return this.runtime.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`import-slots:${workspaceId}`}))`);
      const [running] = await tx.select({ n: count() }).from(imports).where(and(eq(imports.workspaceId, workspaceId), eq(imports.status, 'running')));
      if (Number(running?.n ?? 0) >= limit) return null;
      const [claimed] = await tx
        .update(imports)
        .set({ status: 'running', startedAt: sql`coalesce(${imports.startedAt}, now())`, updatedAt: new Date() })
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

  private launch(importId: string, workspaceId: string): void {
    if (this.running.has(importId) || this.stopped) return;
    const controller = new AbortController();
    const done = runImport(this.runtime, importId, controller.signal)
      .catch((error: unknown) => log.error({ err: error, importId }, 'import run failed'))
      .finally(() => {
        this.running.delete(importId);
        if (!this.stopped) void this.schedule(workspaceId);
      });
    this.running.set(importId, { workspaceId, controller, done });
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

/** For the server process: the importer, with the imports a previous process left running resumed. */
export async function startImporter(runtime: Runtime): Promise<Importer> {
  const importer = importerFor(runtime);
  await importer.resumeInterrupted();
  return importer;
}
