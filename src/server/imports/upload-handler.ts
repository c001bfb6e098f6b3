/**
 * POST /api/imports: a CSV upload too large to send as a tRPC string. Takes either a
 * multipart/form-data body with a `file` field (a browser form) or the raw file as the body
 * (`curl --data-binary @file.csv`, name in ?filename=). Answers 202 { importId } at once.
 * The Next route handler in src/app/api/imports is a thin wrapper around this.
 */
import type { Runtime } from '../runtime';
import { csvTextFromBytes, tooLargeError } from './csv-text';
import { ImportError, type ImportErrorCode } from './import-error';
import { startImport } from './start-import';

const statusOf: Record<ImportErrorCode, number> = {
  EMPTY_FILE: 400,
  HEADER_ONLY: 400,
  NOT_TEXT: 415,
  FILE_TOO_LARGE: 413,
  TOO_MANY_ROWS: 413,
  RECORD_TOO_LARGE: 400,
  UNCLOSED_QUOTE: 400,
  MALFORMED_CSV: 400,
  NO_URL_COLUMN: 400,
  NOT_FOUND: 404,
  ALREADY_FINISHED: 409,
};

// A multipart body carries boundaries and part headers around the file.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function importErrorResponse(error: ImportError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: statusOf[error.code] });
}

export async function handleImportUpload(runtime: Runtime, workspaceId: string, request: Request): Promise<Response> {
  const maxBytes = runtime.config.IMPORT_MAX_BYTES;
  try {
    const contentType = request.headers.get('content-type') ?? '';
    const multipart = contentType.startsWith('multipart/form-data');
    const declared = Number(request.headers.get('content-length') ?? NaN);
    if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD_BYTES : 0)) throw tooLargeError(maxBytes);
    let bytes: Uint8Array;
    let filename: string | null;
    if (multipart) {
      // The form parser reads the whole body: cap the stream it reads, so a body without (or
      // lying about) Content-Length is refused once it passes the limit, not after it is in memory.
      const form = await capped(request, maxBytes + MULTIPART_OVERHEAD_BYTES).formData().catch((error: unknown) => {
        throw error instanceof ImportError ? error : (error as { cause?: unknown }).cause instanceof ImportError ? (error as { cause: ImportError }).cause : error;
      });
      const file = form.get('file');
      if (!file || typeof file === 'string') {
        return Response.json({ error: { code: 'NO_FILE', message: 'Send the CSV in a form field named "file".' } }, { status: 400 });
      }
      if (file.size > maxBytes) throw tooLargeError(maxBytes);
      bytes = new Uint8Array(await file.arrayBuffer());
      filename = file.name || null;
    } else {
      bytes = await readBody(request, maxBytes);
      filename = new URL(request.url).searchParams.get('filename');
    }
    const csv = csvTextFromBytes(bytes, maxBytes);
    const { importId } = await startImport(runtime, workspaceId, { csv, filename });
    return Response.json({ importId }, { status: 202 });
  } catch (error) {
    if (error instanceof ImportError) return importErrorResponse(error);
    throw error;
  }
}

/** The same request with a body that errors (FILE_TOO_LARGE) as soon as more than `maxBytes` have flowed through it. */
function capped(request: Request, maxBytes: number): Request {
  if (!request.body) return request;
  let size = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > maxBytes) controller.error(tooLargeError(maxBytes - MULTIPART_OVERHEAD_BYTES));
      else controller.enqueue(chunk);
    },
  });
  return new Request(request.url, { method: request.method, headers: request.headers, body: request.body.pipeThrough(limit), duplex: 'half' } as RequestInit);
}

/** The body's bytes, refusing (without reading on) once it passes `maxBytes`. */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
