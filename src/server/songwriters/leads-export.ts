/**
 * GET /api/leads/export?filter=<JSON>: the songwriters list as a CSV download, with the same
 * filter and order as `songwriters.list` (its page, limit and offset, is ignored: every matching
 * songwriter is written). Read page by page as the client takes them, so memory stays flat. UTF-8
 * with a BOM, spreadsheet-safe cells (csv/spreadsheet-safe.ts). The Next route handler
 * (app/api/leads/export/route.ts) checks access and calls handleLeadsExport.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { contactStageLabel } from '~/server/contacts/stage-labels';
import { csvDownload } from '~/server/csv/csv-download';
import { csvLines, UTF8_BOM, type CsvCell } from '~/server/csv/spreadsheet-safe';
import type { Executor } from '~/server/db/database';
import { songwriters } from '~/server/db/schema';
import { errorResponse } from '~/server/http/route-access';
import type { Runtime } from '~/server/runtime';
import { songwritersListInput, type SongwritersListInput } from './list-filter';
import { listSongwriters } from './queries';
import type { ScoreBreakdown, SongwriterSummary } from './types';

/** Rows per query: songwriters.list's largest page. */
export const LEADS_PAGE_SIZE = 200;

type LeadRow = SongwriterSummary & { breakdown: ScoreBreakdown | null };

const columns: [header: string, cell: (row: LeadRow) => CsvCell][] = [
  ['Name', (row) => row.name],
  ['Score', (row) => row.score],
  ['Publisher status', (row) => row.publisherStatus],
  ['Stage', (row) => (row.contact ? contactStageLabel(row.contact.stage) : null)],
  ['Owner', (row) => row.contact?.ownerName],
  ['Email', (row) => row.contact?.handles.email],
  ['Instagram', (row) => row.contact?.handles.instagram],
  ['TikTok', (row) => row.contact?.handles.tiktok],
  ['X', (row) => row.contact?.handles.x],
  ['Website', (row) => row.contact?.handles.website],
  ['IPIs', (row) => row.ipis.join('; ')],
  ['Aliases', (row) => row.aliases.join('; ')],
  ['Tracks', (row) => row.trackCount],
  ['Total streams', (row) => row.totalStreams],
  ['Labels', (row) => row.labels.join('; ')],
  ['First seen', (row) => row.firstSeenAt],
  ['Score breakdown', (row) => breakdownCell(row.breakdown)],
];

export const leadsExportHeader = columns.map(([header]) => header);

/** "Publishing 4/4; Pathway 3/3; ...": each category's points of its most, in the breakdown's order. */
export function breakdownCell(breakdown: ScoreBreakdown | null): string {
  return breakdown ? breakdown.categories.map((category) => `${category.label} ${category.points}/${category.max}`).join('; ') : '';
}

/** The CSV in chunks: the BOM and header, then one chunk per page of songwriters. */
export async function* exportLeadsCsv(db: Executor, workspaceId: string, input: SongwritersListInput = {}, pageSize = LEADS_PAGE_SIZE): AsyncGenerator<string> {
  yield UTF8_BOM + csvLines([leadsExportHeader]);
  for (let offset = 0; ; offset += pageSize) {
    const page = await listSongwriters(db, workspaceId, { ...input, limit: pageSize, offset });
    if (page.items.length === 0) return;
    const breakdowns = await breakdownsOf(db, workspaceId, page.items.map((item) => item.id));
    yield csvLines(page.items.map((item) => columns.map(([, cell]) => cell({ ...item, breakdown: breakdowns.get(item.id) ?? null }))));
    if (page.items.length < pageSize) return;
  }
}

async function breakdownsOf(db: Executor, workspaceId: string, ids: string[]): Promise<Map<string, ScoreBreakdown | null>> {
  const found = await db
    .select({ id: songwriters.id, breakdown: songwriters.scoreBreakdown })
    .from(songwriters)
    .where(and(eq(songwriters.workspaceId, workspaceId), inArray(songwriters.id, ids)));
  return new Map(found.map((row) => [row.id, row.breakdown]));
}

/** `linernotes-leads-YYYY-MM-DD.csv`, the day in UTC. */
export function leadsExportFilename(now = new Date()): string {
  return `linernotes-leads-${now.toISOString().slice(0, 10)}.csv`;
}

/** The filter parameter, or the sentence that refuses it. */
function parseFilter(url: URL): { input: SongwritersListInput } | { problem: string } {
  const text = url.searchParams.get('filter');
  if (text === null || text === '') return { input: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `The filter parameter is not JSON: send it as the songwriters list does, e.g. filter=${encodeURIComponent('{"scoreMin":6,"contactsOnly":true}')}.` };
  }
  const parsed = songwritersListInput.safeParse(value);
  if (!parsed.success) return { problem: `Invalid filter: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}` };
  return { input: parsed.data };
}

export async function handleLeadsExport(runtime: Runtime, workspaceId: string, request: Request): Promise<Response> {
  const filter = parseFilter(new URL(request.url));
  if ('problem' in filter) return errorResponse(400, 'BAD_REQUEST', filter.problem);
  const chunks = exportLeadsCsv(runtime.db, workspaceId, filter.input);
  return csvDownload(chunks, leadsExportFilename());
}
