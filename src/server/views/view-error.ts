/** Why a saved-view request was refused; the API maps `code` to a transport error, callers branch on it. */
export type ViewErrorCode = 'VIEW_NOT_FOUND' | 'VIEW_NEEDS_PERSON';

export class ViewError extends Error {
  constructor(
    readonly code: ViewErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ViewError';
  }
}
