/**
 * Runs imports in the background: at most IMPORT_CONCURRENCY_PER_WORKSPACE at once per
 * workspace, the rest wait in status `queued` (the database is the queue, oldest first). One
 * importer per runtime; `importerFor(runtime)` finds it, `startImporter` also resumes the
 * imports a crash or restart left running.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
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

  constructor(private readonly runtime: Runtime) {}

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

  /** Resolves when nothing runs or waits to start (tests and the benchmark wait on it). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.pendingFills > 0) {
      await Promise.all([...this.running.values()].map((run) => run.done));
      await Promise.all([...this.filling.values()]);
    }
  }

  /** Stops every run at its next row, leaving them `running` so the next start resumes them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const run of this.running.values()) run.controller.abort('shutdown' satisfies StopReason);
    await Promise.all([...this.running.values()].map((run) => run.done));
    await Promise.all([...this.filling.values()]);
  }

  private async fill(workspaceId: string): Promise<void> {
    const limit = this.runtime.config.IMPORT_CONCURRENCY_PER_WORKSPACE;
    while (!this.stopped && this.runningIn(workspaceId) < limit) {
      const importId = await this.claimNext(workspaceId);
      if (!importId) return;
      this.launch(importId, workspaceId);
    }
  }

  private runningIn(workspaceId: string): number {
    let count = 0;
    for (const run of this.running.values()) if (run.workspaceId === workspaceId) count++;
    return count;
  }

  private async claimNext(workspaceId: string): Promise<string | null> {
    const [claimed] = await this.runtime.db
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
    if (!claimed) return null;
    return claimed.id;
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

const importers = new WeakMap<Runtime, Importer>();

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
