/** Why an explorer request was refused; the API maps `code` to a transport error, callers branch on it. */
export type ExplorerErrorCode = 'BAD_CURSOR' | 'BAD_FILTER';

export class ExplorerError extends Error {
  constructor(
    readonly code: ExplorerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExplorerError';
  }
}
