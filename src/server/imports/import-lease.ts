/**
 * The lease an importer holds on a running import while it reads the rows (jobs/job-lease.ts is
 * the same idea for enrichment jobs). Exactly one runner reads an import's rows: the instance
 * that moved it queued -> running, or the one that took it over after that runner's lease lapsed.
 *
 * Contract a runner relies on:
 * - It writes a chunk only in a transaction that first renews (and so locks) its lease; a runner
 *   whose lease is gone (taken over, or the import finished) gets ImportLeaseLostError and must
 *   stop without writing anything more.
 * - A lease is cleared when the rows are all read: from then on the import needs no runner (the
 *   fetch loops settle it), so nothing is ever taken over for its fetches.
 * - A graceful stop releases the lease at once, so another instance takes the import over
 *   without waiting for the lease to lapse; a killed process's lease lapses after IMPORT_LEASE_MS.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { imports } from '../db/schema';
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';
import { log } from '../log';
import type { ImportRecord } from './finish-import';

export class ImportLeaseLostError extends Error {
  readonly code = 'IMPORT_LEASE_LOST';
  constructor(importId: string) {
    super(`The lease on import ${importId} was lost (another instance took it over, or it finished).`);
    this.name = 'ImportLeaseLostError';
  }
}

/** An owner id per importer: host and pid say which process holds a lease; the suffix tells two importers of one process apart. */
export function newImportOwnerId(): string {
  return `${os.hostname()}:${process.pid}:import-${randomUUID().slice(0, 8)}`;
}

const expiresIn = (leaseMs: number) => sql`now() + ${leaseMs} * interval '1 millisecond'`;

/** What claiming an import writes beside its status: this owner's lease. */
export function leasedTo(owner: string, leaseMs: number) {
  return { leaseOwner: owner, leaseExpiresAt: expiresIn(leaseMs) };
}

/** No lease: set when the rows are all read, when the import finishes, and on release. */
export const noLease = { leaseOwner: null, leaseExpiresAt: null };

/**
 * Extends this owner's lease and returns the import row; throws ImportLeaseLostError when the
 * owner no longer holds it. In a transaction, the row stays locked until it ends, so nobody takes
 * the import over between this check and the commit.
 */
export async function renewImportLease(db: Executor, importId: string, owner: string, leaseMs: number): Promise<ImportRecord> {
  const [row] = await db
    .update(imports)
    .set({ leaseExpiresAt: expiresIn(leaseMs) })
    .where(and(eq(imports.id, importId), eq(imports.leaseOwner, owner), eq(imports.status, 'running')))
    .returning();
  if (!row) throw new ImportLeaseLostError(importId);
  return row;
}

/** Gives the lease up now (graceful stop), so another instance's sweeper takes the import over at its next pass. */
export async function releaseImportLease(db: Executor, importId: string, owner: string): Promise<boolean> {
  const released = await db
    .update(imports)
    .set(noLease)
    .where(and(eq(imports.id, importId), eq(imports.leaseOwner, owner), eq(imports.status, 'running')))
    .returning({ id: imports.id });
  return released.length > 0;
}

/** Running, rows still to read, and nobody's lease holds: a runner died, stalled or let it go. */
const lapsed = () =>
  and(eq(imports.status, 'running'), isNull(imports.rowsReadAt), or(isNull(imports.leaseExpiresAt), lte(imports.leaseExpiresAt, sql`now()`)));

/**
 * Takes over imports whose lease lapsed, in one statement: the candidates are locked with SKIP
 * LOCKED and the outer WHERE checks the lapse again on the row it updates, so when two instances
 * sweep at once each import goes to exactly one of them (the other skips it, or finds the lease
 * renewed). The import stays `running` throughout, so it keeps its workspace slot.
 */
export async function takeOverLapsedImports(db: Executor, owner: string, leaseMs: number, limit = 20): Promise<Array<{ id: string; workspaceId: string }>> {
  const candidates = db.select({ id: imports.id }).from(imports).where(lapsed()).orderBy(asc(imports.createdAt)).limit(limit).for('update', { skipLocked: true });
  return db
    .update(imports)
    .set(leasedTo(owner, leaseMs))
    .where(and(lapsed(), inArray(imports.id, candidates)))
    .returning({ id: imports.id, workspaceId: imports.workspaceId });
}

export interface KeptLease {
  /** Set once a renewal found the lease gone: the run must stop and write nothing more. */
  readonly lost: boolean;
  /** Stops renewing (waits for a renewal in flight). */
  stop(): Promise<void>;
}

/**
 * Renews the lease every third of IMPORT_LEASE_MS while a run reads, so a slow chunk (or a slow
 * stretch of the file between chunks) never lets it lapse. A renewal that fails for another
 * reason (the database is briefly away) is retried at the next tick; the lease lapses only if
 * that goes on for the whole lease.
 */
export function keepImportLease(db: Executor, importId: string, owner: string, leaseMs: number): KeptLease {
  let lost = false;
  const timer: StoppableTimer = startTimer(Math.max(1, Math.floor(leaseMs / 3)), async () => {
    if (lost) return;
    try {
      await renewImportLease(db, importId, owner, leaseMs);
    } catch (error) {
      if (error instanceof ImportLeaseLostError) lost = true;
      else log.warn({ err: error, importId }, 'could not renew the import lease');
    }
  });
  return {
    get lost() {
      return lost;
    },
    stop: () => timer.stop(),
  };
}
