/** Why a songwriter request was refused; `songwriterErrorStatus` says which transport error each code is. */
export type SongwriterErrorCode =
  | 'SONGWRITER_NOT_FOUND'
  | 'SONGWRITER_MERGED'
  | 'OPERATION_NOT_FOUND'
  | 'OPERATION_UNDONE'
  | 'UNDO_LATER_FIRST'
  | 'CONTACTS_CLASH'
  | 'MERGE_INTO_ITSELF'
  | 'ALIAS_NOT_FOUND'
  | 'SPLIT_EVERYTHING';

/** One table for the router and any route handler: the tRPC code of each refusal. */
export const songwriterErrorStatus = {
  SONGWRITER_NOT_FOUND: 'NOT_FOUND',
  // The page the person acted from is out of date: someone merged that record meanwhile.
  SONGWRITER_MERGED: 'CONFLICT',
  OPERATION_NOT_FOUND: 'NOT_FOUND',
  OPERATION_UNDONE: 'CONFLICT',
  UNDO_LATER_FIRST: 'CONFLICT',
  CONTACTS_CLASH: 'CONFLICT',
  MERGE_INTO_ITSELF: 'BAD_REQUEST',
  ALIAS_NOT_FOUND: 'BAD_REQUEST',
  SPLIT_EVERYTHING: 'BAD_REQUEST',
} as const satisfies Record<SongwriterErrorCode, 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST'>;

export class SongwriterError extends Error {
  constructor(
    readonly code: SongwriterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SongwriterError';
  }
}
