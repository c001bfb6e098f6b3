/** The job board's live state in a long-lived tab: it keeps active jobs and the newest finished ones, not every job it ever saw. */
import { expect, test } from 'vitest';
import { applyJobEvents, FINISHED_JOBS_KEPT, isActiveJob, type JobEventType, type JobsState } from '~/components/live/jobs-state';
import type { Envelope } from '~/server/events/catalog';

const statusEvent = (jobId: string, to: 'queued' | 'running' | 'completed', second: number): Envelope<JobEventType> =>
  ({
    id: `e:${second}`,
    type: 'job_status_changed',
    at: new Date(Date.UTC(2026, 11, 1, 0, 0, second)).toISOString(),
    workspaceId: 'w',
    keys: { jobId },
    data: { jobId, playlistId: null, from: null, to, attempt: 1, phase: null, error: null, retryAt: null },
  }) as Envelope<JobEventType>;

test('a tab that sees thousands of jobs finish keeps every active job and only the newest finished ones', () => {
  let state: JobsState = new Map();
  state = applyJobEvents(state, [statusEvent('still-running', 'running', 0)]);
  for (let i = 1; i <= 2000; i++) state = applyJobEvents(state, [statusEvent(`job-${i}`, 'queued', i), statusEvent(`job-${i}`, 'completed', i)]);
  const finished = [...state.values()].filter((job) => !isActiveJob(job));
  expect(state.has('still-running')).toBe(true);
  expect(finished.length).toBeGreaterThanOrEqual(FINISHED_JOBS_KEPT);
  expect(finished.length).toBeLessThanOrEqual(FINISHED_JOBS_KEPT * 1.25);
  // The newest finished job is there; the oldest went.
  expect(state.has('job-2000')).toBe(true);
  expect(state.has('job-1')).toBe(false);
});

test('skipped tracks: each batch adds its own, a status change says the whole count', () => {
  const batch = (second: number, skipped: number): Envelope<JobEventType> =>
    ({
      id: `e:${second}`,
      type: 'batch_complete',
      at: new Date(Date.UTC(2026, 11, 1, 0, 0, second)).toISOString(),
      workspaceId: 'w',
      keys: { jobId: 'j' },
      data: { jobId: 'j', playlistId: null, phase: 1, batch: second, succeeded: 2 - skipped, failed: 0, skipped, done: 2 * second, total: 10 },
    }) as Envelope<JobEventType>;
  let state: JobsState = applyJobEvents(new Map(), [statusEvent('j', 'running', 0)]);
  state = applyJobEvents(state, [batch(1, 1), batch(2, 0), batch(3, 2)]);
  expect(state.get('j')!.tracksSkipped).toBe(3);
  const completed = statusEvent('j', 'completed', 4);
  state = applyJobEvents(state, [{ ...completed, data: { ...completed.data, skipped: 4 } } as Envelope<JobEventType>]);
  expect(state.get('j')!.tracksSkipped).toBe(4);
});
