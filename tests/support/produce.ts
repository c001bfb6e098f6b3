/**
 * Direct producers for delivery-semantics tests: they write catalog events through the real
 * EventLog (outbox + publish after commit). Tests of who produces which event live with the
 * worker and the importer and go through them.
 */
import { logActivity } from '~/server/activity/log-activity';
import type { Runtime } from '~/server/runtime';
import type { TestRuntime } from './runtime';

export function jobEvent(runtime: TestRuntime, opts: { jobId: string; playlistId?: string; to?: 'queued' | 'running' | 'completed'; workspaceId?: string }) {
  const workspaceId = opts.workspaceId ?? runtime.workspaceId;
  return runtime.log.transaction(async (tx) => {
    tx.emit({
      type: 'job_status_changed',
      workspaceId,
      keys: { jobId: opts.jobId, ...(opts.playlistId ? { playlistId: opts.playlistId } : {}) },
      data: { jobId: opts.jobId, playlistId: opts.playlistId ?? null, from: null, to: opts.to ?? 'queued', attempt: 0, phase: null, error: null, retryAt: null },
    });
  });
}

export function note(runtime: Runtime, message: string, workspaceId = (runtime as TestRuntime).workspaceId) {
  return runtime.log.transaction((tx) => logActivity(tx, { workspaceId, kind: 'note', message }));
}
