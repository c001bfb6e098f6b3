/**
 * The leads CSV (`GET /api/leads/export?filter=<JSON>`), through the Next route module with a
 * viewer's API key: UTF-8 with a BOM, one header, the songwriters of songwriters.list's filter in
 * its order (every page of them), contact columns from the contact, the score breakdown in one
 * cell, and cells a spreadsheet would run as formulas ("=HYPERLINK(...)" as a name) written as
 * text. A filter that is not JSON or not a filter is a 400 with a sentence, before any download.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as exportRoute } from '~/app/api/leads/export/route';
import { UTF8_BOM } from '~/server/csv/spreadsheet-safe';
import { forgetRuntime } from '~/server/runtime';
import { exportLeadsCsv, leadsExportHeader } from '~/server/songwriters/leads-export';
import { listSongwriters } from '~/server/songwriters/queries';
import type { ScoreBreakdown } from '~/server/songwriters/types';
import { serveRouteHandlersFrom } from '../access/support';
import { createKey } from '../support/accounts';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { callerAs, personIn, seedSongwriter, type Person } from './support';

let runtime: TestRuntime;
let key: string;
let scout: Person;
const ids = {} as Record<'formula' | 'top' | 'mid' | 'low' | 'published', string>;

const breakdown: ScoreBreakdown = {
  total: 8.5,
  tracks: 2,
  categories: [
    { key: 'publishing', label: 'Publishing', points: 4, max: 4, evidence: ['No publisher on "Song" (2 works checked).'] },
    { key: 'pathway', label: 'Pathway', points: 3, max: 3, evidence: ['DistroKid: DIY.'] },
    { key: 'earlyCareer', label: 'Early career', points: 0, max: 2, evidence: [] },
    { key: 'sparsity', label: 'Sparse data', points: 0.5, max: 1, evidence: ['5 of 10 facts missing.'] },
    { key: 'independentCatalog', label: 'Independent catalog', points: 0.5, max: 0.5, evidence: [] },
    { key: 'noIdentity', label: 'No identity', points: 0.5, max: 0.5, evidence: [] },
  ],
};

beforeAll(async () => {
  runtime = await createTestRuntime();
  serveRouteHandlersFrom(runtime);
  key = await createKey(runtime, runtime.workspaceId, 'viewer');
  scout = await personIn(runtime, runtime.workspaceId, 'member', 'Sam Scout');
  const ws = runtime.workspaceId;
  ids.formula = await seedSongwriter(runtime, ws, {
    name: '=HYPERLINK("http://evil.example","click")',
    score: 8.5,
    breakdown,
    publisherStatus: 'unpublished',
    ipis: ['00012345678', '00087654321'],
    aliases: ['+Plus Alias', 'Quote "Q" Writer'],
    tracks: [{ label: '@Label, Inc.', streams: 2_500_000_000 }, { label: '@Label, Inc.', streams: 0 }, { label: 'DistroKid', streams: 1 }],
  });
  ids.top = await seedSongwriter(runtime, ws, { name: 'Top Writer', score: 9, publisherStatus: 'unpublished', tracks: [{ label: 'AWAL', streams: 10 }] });
  ids.mid = await seedSongwriter(runtime, ws, { name: 'Mid Writer', score: 5, publisherStatus: 'unknown', tracks: [{ label: null, streams: null }] });
  ids.low = await seedSongwriter(runtime, ws, { name: 'Low Writer', score: 1, publisherStatus: 'unknown', tracks: [{ label: 'Sony', streams: 5 }] });
  ids.published = await seedSongwriter(runtime, ws, { name: 'Signed Writer', score: 0, publisherStatus: 'published', tracks: [{ label: 'Sony', streams: 5 }] });
  await seedSongwriter(runtime, ws, { name: 'Merged Away', score: 10, mergedIntoId: ids.top, tracks: [{ label: 'X', streams: 1 }] });
  const caller = callerAs(runtime, scout);
  await caller.contacts.create({
    songwriterId: ids.formula,
    stage: 'in_talks',
    ownerId: scout.userId,
    handles: { email: 'writer@example.com', instagram: '@writes', tiktok: 'writes_tt', x: 'writes_x', website: 'https://writer.example/?a=1,b=2' },
  });
  await caller.contacts.create({ songwriterId: ids.low, stage: 'passed' });
}, 60_000);
afterAll(async () => {
  forgetRuntime();
  await runtime.dispose();
});

async function download(filter?: unknown, raw?: string) {
  const query = raw ?? (filter === undefined ? '' : `?filter=${encodeURIComponent(JSON.stringify(filter))}`);
  return exportRoute(new Request(`http://localhost/api/leads/export${query}`, { headers: { authorization: `Bearer ${key}` } }));
}

/** The body as sent: Response.text() would drop a BOM, so the bytes are decoded keeping it. */
async function textOf(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)], 'a UTF-8 BOM first').toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

async function recordsOf(response: Response): Promise<Record<string, string>[]> {
  expect(response.status).toBe(200);
  const text = await textOf(response);
  expect(text.startsWith(UTF8_BOM)).toBe(true);
  const [header, ...records] = parse(text.slice(1)) as string[][];
  expect(header).toEqual(leadsExportHeader);
  return records.map((record) => Object.fromEntries(header!.map((name, i) => [name, record[i]!])));
}

describe('the leads export', () => {
  test('a download: BOM, header, headers of a CSV attachment; every visible songwriter, by score', async () => {
    const response = await download();
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="linernotes-leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const records = await recordsOf(response);
    expect(leadsExportHeader).toEqual([
      'Name', 'Score', 'Publisher status', 'Stage', 'Owner', 'Email', 'Instagram', 'TikTok', 'X', 'Website',
      'IPIs', 'Aliases', 'Tracks', 'Total streams', 'Labels', 'First seen', 'Score breakdown',
    ]);
    // songwriters.list's default order (score, highest first); the merged record is not there.
    expect(records.map((r) => r.Name)).toEqual(['Top Writer', `'=HYPERLINK("http://evil.example","click")`, 'Mid Writer', 'Low Writer', 'Signed Writer']);
  });

  test('cells: formulas written as text, quotes and commas quoted; contact, handles, IPIs, aliases, labels, totals and the breakdown', async () => {
    const response = await download({ contactsOnly: true, stages: ['in_talks'] });
    const text = await textOf(response.clone());
    // The raw line: the name starts with an apostrophe inside its quotes, so no spreadsheet evaluates it.
    expect(text.split('\r\n')[1]!.startsWith(`"'=HYPERLINK(""http://evil.example"",""click"")",8.5,unpublished,In talks,Sam Scout,`)).toBe(true);
    const [row] = await recordsOf(response);
    expect(row).toEqual({
      Name: `'=HYPERLINK("http://evil.example","click")`,
      Score: '8.5',
      'Publisher status': 'unpublished',
      Stage: 'In talks',
      Owner: 'Sam Scout',
      Email: 'writer@example.com',
      Instagram: 'writes',
      TikTok: 'writes_tt',
      X: 'writes_x',
      Website: 'https://writer.example/?a=1,b=2',
      IPIs: '00012345678; 00087654321',
      Aliases: `'+Plus Alias; Quote "Q" Writer`, // a cell starting with "+" is a formula to a spreadsheet
      Tracks: '3',
      'Total streams': '2500000001',
      Labels: `'@Label, Inc.; DistroKid`, // most tracks first; "@" first in a cell is a formula too
      'First seen': '2025-03-03T00:00:00.000Z',
      'Score breakdown': 'Publishing 4/4; Pathway 3/3; Early career 0/2; Sparse data 0.5/1; Independent catalog 0.5/0.5; No identity 0.5/0.5',
    });
    expect(await recordsOf(await download({ contactsOnly: true, stages: ['passed'] }))).toEqual([
      expect.objectContaining({ Name: 'Low Writer', Stage: 'Passed', Owner: '', Email: '', 'Score breakdown': '' }),
    ]);
  });

  test('filters and order are songwriters.list\'s, and the page is ignored: the download holds every match', async () => {
    const names = async (filter: unknown) => (await recordsOf(await download(filter))).map((r) => r.Name);
    expect(await names({ scoreMin: 4.5, scoreMax: 9 })).toEqual(['Top Writer', `'=HYPERLINK("http://evil.example","click")`, 'Mid Writer']);
    expect(await names({ publisherStatuses: ['published'] })).toEqual(['Signed Writer']);
    expect(await names({ stages: ['none'], sort: 'name', dir: 'asc' })).toEqual(['Mid Writer', 'Signed Writer', 'Top Writer']);
    expect(await names({ ownerId: scout.userId })).toEqual([`'=HYPERLINK("http://evil.example","click")`]);
    expect(await names({ q: 'plus alias' })).toEqual([`'=HYPERLINK("http://evil.example","click")`]);
    expect(await names({ q: '87654' })).toEqual([`'=HYPERLINK("http://evil.example","click")`]);
    expect(await names({ limit: 1, offset: 3 })).toHaveLength(5);
    // The same rows as the list, whatever the order asked.
    for (const order of [{ sort: 'streams', dir: 'asc' }, { sort: 'tracks' }, { sort: 'firstSeen' }, { sort: 'updated', dir: 'asc' }] as const) {
      const listed = await listSongwriters(runtime.db, runtime.workspaceId, { ...order, limit: 200 });
      expect(await names(order), JSON.stringify(order)).toEqual(listed.items.map((item) => (item.name.startsWith('=') ? `'${item.name}` : item.name)));
    }
  });

  test('pages are read one after another until the last: none lost or repeated', async () => {
    for (let i = 0; i < 7; i++) await seedSongwriter(runtime, runtime.workspaceId, { name: `Paged ${i}`, score: 2, tracks: [{ label: null, streams: i }] });
    let text = '';
    for await (const chunk of exportLeadsCsv(runtime.db, runtime.workspaceId, { sort: 'name', dir: 'asc' }, 3)) text += chunk;
    const names = (parse(text.slice(1)) as string[][]).slice(1).map((record) => record[0]);
    const listed = await listSongwriters(runtime.db, runtime.workspaceId, { sort: 'name', dir: 'asc', limit: 200 });
    expect(names).toEqual(listed.items.map((item) => (item.name.startsWith('=') ? `'${item.name}` : item.name)));
    expect(names).toHaveLength(12);
  });

  test('a filter that is not JSON, or not a filter: 400 with a sentence, no download', async () => {
    const cases: [string, RegExp][] = [
      ['?filter=%7Bnot%20json', /The filter parameter is not JSON/],
      [`?filter=${encodeURIComponent(JSON.stringify({ scoreMin: 11 }))}`, /Invalid filter:.*0 to 10/],
      [`?filter=${encodeURIComponent(JSON.stringify({ bogus: true }))}`, /Invalid filter:.*bogus/],
      [`?filter=${encodeURIComponent(JSON.stringify({ stages: ['done'] }))}`, /Invalid filter:.*stages/],
      [`?filter=${encodeURIComponent(JSON.stringify({ scoreMin: 8, scoreMax: 2 }))}`, /Invalid filter:.*scoreMin/],
      [`?filter=${encodeURIComponent('[1,2]')}`, /Invalid filter/],
    ];
    for (const [query, message] of cases) {
      const response = await download(undefined, query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(message);
    }
  });
});
