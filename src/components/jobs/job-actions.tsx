'use client';
/** Cancel (queued or running) and retry (failed or cancelled) for one job. */
import { api } from '~/trpc/react';
import type { JobView } from '../live/jobs-state';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { useMayChange } from '../workspace/workspace-queries';

export function JobActions({ job, label }: { job: JobView; label: string }) {
  const toast = useToast();
  const cancel = api.jobs.cancel.useMutation();
  const retry = api.jobs.retry.useMutation();
  const { mayChange, why } = useMayChange();
  const onError = (title: string) => (error: { message: string }) => toast({ tone: 'error', title, body: error.message });
  const cancellable = job.status === 'queued' || job.status === 'running';
  const retryable = job.status === 'failed' || job.status === 'cancelled';
  return (
    <div className="flex gap-2">
      {cancellable ? (
        <Button
          variant="danger"
          aria-label={`Cancel job for ${label}`}
          disabled={cancel.isPending || job.cancelRequested || !mayChange}
          title={why}
          onClick={() => cancel.mutate({ id: job.id }, { onError: onError('Could not cancel the job') })}
        >
          {job.cancelRequested || cancel.isSuccess ? 'Cancelling…' : 'Cancel'}
        </Button>
      ) : null}
      {retryable ? (
        <Button aria-label={`Retry job for ${label}`} disabled={retry.isPending || !mayChange} title={why} onClick={() => retry.mutate({ id: job.id }, { onError: onError('Could not retry the job') })}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}
