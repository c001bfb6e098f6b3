/** Why a track request was refused; the API maps `code` to a transport error. */
export type TrackErrorCode = 'TRACK_NOT_FOUND' | 'TRACK_BUSY';

export class TrackError extends Error {
  constructor(
    readonly code: TrackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrackError';
  }
}
