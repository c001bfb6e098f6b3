/**
 * Why an import cannot start or be changed. The code is what callers branch on (the router maps it
 * to a tRPC code, the upload route to an HTTP status); the message is a sentence a person can act on.
 */
export type ImportErrorCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'NOT_TEXT' // binary content, or bytes that are not UTF-8
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'RECORD_TOO_LARGE' // one line beyond IMPORT_MAX_RECORD_BYTES
  | 'UNCLOSED_QUOTE'
  | 'MALFORMED_CSV'
  | 'NO_URL_COLUMN'
  | 'NOT_FOUND'
  | 'ALREADY_FINISHED';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
