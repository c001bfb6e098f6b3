/**
 * GET /api/tracks/export?filter=<JSON>&sort=<JSON>: the explorer's rows as a CSV download,
 * streamed page by page. The Next route handler (app/api/tracks/export/route.ts) checks access
 * and calls this.
 */
import { z } from 'zod';
import { csvDownload } from '~/server/csv/csv-download';
import { errorResponse } from '~/server/http/route-access';
import type { Runtime } from '~/server/runtime';
import { explorerConditions } from './explorer-conditions';
import { ExplorerError } from './explorer-error';
import { explorerFilter, explorerSort, type ExplorerFilter, type ExplorerSort } from './explorer-filter';
import { exportFilename, exportTracksCsv } from './export-tracks';

function parseParam<T>(url: URL, name: string, schema: z.ZodType<T>): T | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExplorerError('BAD_FILTER', `The ${name} parameter is not JSON: send it as the explorer does, e.g. ${name}=${encodeURIComponent(name === 'sort' ? '{"field":"streams","dir":"desc"}' : '{"q":"love"}')}.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ExplorerError('BAD_FILTER', `Invalid ${name}: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  return parsed.data;
}

export async function handleTrackExport(runtime: Runtime, workspaceId: string, request: Request): Promise<Response> {
  let filter: ExplorerFilter | undefined;
  let sort: ExplorerSort | undefined;
  try {
    const url = new URL(request.url);
    filter = parseParam(url, 'filter', explorerFilter);
    sort = parseParam(url, 'sort', explorerSort);
    explorerConditions(workspaceId, filter); // a filter that cannot match is refused before the download starts
  } catch (error) {
    if (error instanceof ExplorerError) return errorResponse(400, 'BAD_REQUEST', error.message);
    throw error;
  }
  const chunks = exportTracksCsv(runtime.db, workspaceId, { filter, sort });
  return csvDownload(chunks, exportFilename());
}
