/** Why a tag request was refused; the API maps `code` to a transport error, callers branch on it. */
export type TagErrorCode = 'TAG_NOT_FOUND' | 'TAG_NAME_TAKEN' | 'TRACK_NOT_FOUND';

export class TagError extends Error {
  constructor(
    readonly code: TagErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TagError';
  }
}
