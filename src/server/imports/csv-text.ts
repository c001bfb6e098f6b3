/**
 * The checks an upload passes before anyone parses it: within the size limit, text, UTF-8, not
 * empty. Text that arrives as a JSON string (imports.start) was decoded by the transport already,
 * so a NUL or a replacement character is what binary or non-UTF-8 bytes left behind, and a lone
 * surrogate (which no UTF-8 file holds) is text that never was UTF-8.
 */
import { ImportError } from './import-error';

const megabytes = (bytes: number) => `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`;

export function tooLargeError(maxBytes: number): ImportError {
  return new ImportError('FILE_TOO_LARGE', `The file is larger than the ${megabytes(maxBytes)} an import accepts: split it into smaller files.`);
}

/** Decodes uploaded bytes as UTF-8 (with or without BOM), refusing anything that is not text. */
export function csvTextFromBytes(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.byteLength > maxBytes) throw tooLargeError(maxBytes);
  let text: string;
  try {
    // ignoreBOM keeps a BOM in the text, where the parser expects and removes it.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw notTextError();
  }
  return checkCsvText(text, maxBytes);
}

export function checkCsvText(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw tooLargeError(maxBytes);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new ImportError('EMPTY_FILE', 'The file is empty: add one playlist URL, URI or id per line.');
  if (text.includes('\u0000') || text.includes('\uFFFD') || !text.isWellFormed()) throw notTextError();
  return text;
}

function notTextError(): ImportError {
  return new ImportError(
    'NOT_TEXT',
    'The file is not UTF-8 text (it looks binary, or was saved in another encoding): export it from your spreadsheet as "CSV UTF-8".',
  );
}
