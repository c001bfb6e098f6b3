/** Why a job request was refused; the API maps `code` to a transport error, callers branch on it. */
export type JobErrorCode = 'JOB_NOT_FOUND' | 'JOB_NOT_CANCELLABLE' | 'JOB_NOT_RETRYABLE' | 'PLAYLIST_NOT_FOUND';

export class JobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JobError';
  }
}
