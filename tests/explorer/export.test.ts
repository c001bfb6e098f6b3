/**
 * The CSV the app serves: spreadsheet-safe cells (a leading apostrophe before = + - @ tab CR),
 * the explorer export (BOM, header, the explorer's rows with their playlists and tags, the
 * filter and sort applied, streamed page by page with flat memory) over HTTP through the route,
 * and the import error report escaped by the same module.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'csv-parse/sync';
import { GET as exportRoute } from '~/app/api/tracks/export/route';
import { csvLines, spreadsheetSafe, spreadsheetSafeLine } from '~/server/csv/spreadsheet-safe';
import { handleErrorReportDownload } from '~/server/imports/error-report-handler';
import { forgetRuntime } from '~/server/runtime';
import { EXPORT_PAGE_SIZE, exportHeader, exportTracksCsv } from '~/server/tracks/export-tracks';
import { generateExplorerData } from '../../bench/explorer/generate';
import { serveRouteHandlersFrom } from '../access/support';
import { createAccount, createKey, type Account } from '../support/accounts';
import { callerFor } from '../support/caller';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { importRuntime, importsSettled } from '../imports/support';
import { insertFixture, makeFixture, matches } from './fixture';
import { serveRoutes } from './support';

const BOM = [0xef, 0xbb, 0xbf];

describe('spreadsheet-safe cells', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-5', "'-5"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
    [null, ''],
    [42, '42'],
  ] as const)('%j -> %j', (cell, safe) => {
    expect(spreadsheetSafe(cell)).toBe(safe);
  });

  test('lines are CRLF, quoted where needed, every cell escaped', () => {
    expect(csvLines([['=HYPERLINK("http://x","y")', 'a,b', 'plain', null, 7]])).toBe(`"'=HYPERLINK(""http://x"",""y"")","a,b",plain,,7\r\n`);
    expect(csvLines([])).toBe('');
  });

  test('a line that is CSV already keeps its cells, escaped', () => {
    expect(spreadsheetSafeLine('https://x,Name,tag')).toBe('https://x,Name,tag');
    expect(spreadsheetSafeLine('"=cmd|\' /C calc\'!A0",@me,"a,b"')).toBe(`'=cmd|' /C calc'!A0,'@me,"a,b"`);
    expect(spreadsheetSafeLine('')).toBe('');
  });
});

describe('the import error report', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await importRuntime();
  });
  afterAll(() => runtime.dispose());

  test('a failed row whose cells would be formulas is downloaded escaped', async () => {
    const csv = 'url,name,tags\n"=HYPERLINK(""http://evil.example"",""click"")",@SUM(1),-3\nnot a playlist,fine,\n';
    const { importId } = await callerFor(runtime).imports.start({ csv, filename: 'evil.csv' });
    await importsSettled(runtime);
    const text = await (await handleErrorReportDownload(runtime, runtime.workspaceId, importId)).text();
    const [header, ...records] = parse(text) as string[][];
    expect(header).toEqual(['row', 'reason', 'url', 'name', 'tags']);
    expect(records[0]!.slice(2)).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(1)", "'-3"]);
    expect(records[1]!.slice(2)).toEqual(['not a playlist', 'fine', '']);
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('GET /api/tracks/export', () => {
  let runtime: TestRuntime;
  let server: Awaited<ReturnType<typeof serveRoutes>>;
  let owner: Account;
  let key: string;
  const fixture = makeFixture(40, 77, 'ex');

  beforeAll(async () => {
    runtime = await createTestRuntime();
    serveRouteHandlersFrom(runtime);
    server = await serveRoutes({ '/api/tracks/export': exportRoute });
    owner = await createAccount(runtime);
    key = await createKey(runtime, owner.workspaceId, 'viewer');
    fixture.tracks[0]!.name = '=HYPERLINK("http://evil.example","x")';
    fixture.tracks[1]!.artist = '+44 20 7946 0000';
    fixture.tracks[2]!.label = '@label';
    fixture.tracks[3]!.songwriters = ['-Minus', 'Second'];
    fixture.tracks[4]!.name = 'Ünïcødé ✓ 日本語';
    await insertFixture(runtime, owner.workspaceId, fixture);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    forgetRuntime();
    await runtime.dispose();
  });

  const get = (query: string, headers: Record<string, string>) => fetch(`${server.url}/api/tracks/export${query}`, { headers });

  test('a download: headers, a UTF-8 BOM, the header row, every row escaped, playlists and tags joined', async () => {
    const response = await get('', { authorization: `Bearer ${key}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="linernotes-tracks-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual(BOM);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...records] = parse(text.slice(1)) as string[][];
    expect(header).toEqual(exportHeader);
    expect(records).toHaveLength(fixture.tracks.length);
    const column = (name: string) => exportHeader.indexOf(name);
    const byId = new Map(records.map((record) => [record[column('Linernotes ID')]!, record]));
    expect(byId.get(fixture.tracks[0]!.id)![column('Name')]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(byId.get(fixture.tracks[1]!.id)![column('Artist')]).toBe("'+44 20 7946 0000");
    expect(byId.get(fixture.tracks[2]!.id)![column('Label')]).toBe("'@label");
    expect(byId.get(fixture.tracks[3]!.id)![column('Songwriters')]).toBe("'-Minus; Second");
    expect(byId.get(fixture.tracks[4]!.id)![column('Name')]).toBe('Ünïcødé ✓ 日本語');
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const t of fixture.tracks) {
      const record = byId.get(t.id)!;
      expect(record[column('Playlists')]!.split('; ').filter(Boolean).sort()).toEqual(t.playlistIds.map((id) => fixture.playlistNames[id]).sort());
      expect(record[column('Tags')]!.split('; ').filter(Boolean).sort()).toEqual(t.tagIds.map((id) => fixture.tagNames[id]).sort());
      expect(record[column('Streams')]).toBe(t.streams === null ? '' : String(t.streams));
    }
  });

  test('the filter and sort apply, as in the explorer', async () => {
    const filter = { statuses: ['completed', 'failed'], noLabel: false };
    const sort = { field: 'streams', dir: 'desc' };
    const query = `?filter=${encodeURIComponent(JSON.stringify(filter))}&sort=${encodeURIComponent(JSON.stringify(sort))}`;
    const response = await get(query, { cookie: owner.cookie });
    expect(response.status).toBe(200);
    const [, ...records] = parse((await response.text()).replace(/^\uFEFF/, '')) as string[][];
    const ids = records.map((record) => record[exportHeader.indexOf('Linernotes ID')]);
    const page = await callerFor(runtime, undefined, { workspaceId: owner.workspaceId }).tracks.explore({
      filter: { statuses: ['completed', 'failed'], noLabel: false },
      sort: { field: 'streams', dir: 'desc' },
      limit: 500,
    });
    expect(ids).toEqual(page.rows.map((row) => row.id));
    expect(ids.length).toBe(fixture.tracks.filter((t) => matches(t, { statuses: ['completed', 'failed'], noLabel: false })).length);
  });

  test('refusals: no credentials 401, a bad filter or sort 400 with a sentence, before any CSV', async () => {
    expect((await get('', {})).status).toBe(401);
    const cases = [
      ['?filter=not-json', /The filter parameter is not JSON/],
      [`?filter=${encodeURIComponent('{"bogus":1}')}`, /Invalid filter/],
      [`?sort=${encodeURIComponent('{"field":"createdAt","dir":"asc"}')}`, /Invalid sort/],
      [`?filter=${encodeURIComponent('{"streamsMin":5,"streamsMax":1}')}`, /streamsMin \(5\) is above streamsMax \(1\)/],
    ] as const;
    for (const [query, message] of cases) {
      const response = await get(query, { authorization: `Bearer ${key}` });
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(message);
    }
  });
});

describe('a large export streams', () => {
  let runtime: TestRuntime;
  let workspaceId: string;
  const total = 20_000;

  beforeAll(async () => {
    runtime = await createTestRuntime();
    workspaceId = runtime.workspaceId;
    await generateExplorerData(runtime.db, workspaceId, { tracks: total, playlists: 400, tags: 12, seed: 0.1 });
  }, 120_000);
  afterAll(() => runtime.dispose());

  test('page by page: many chunks, every row once, heap flat', async () => {
    (globalThis as { gc?: () => void }).gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    let chunks = 0;
    let rows = 0;
    const seen = new Set<string>();
    const idColumn = exportHeader.indexOf('Linernotes ID');
    for await (const chunk of exportTracksCsv(runtime.db, workspaceId, { sort: { field: 'label', dir: 'asc' } })) {
      chunks++;
      if (chunks === 1) continue; // BOM and header
      for (const record of parse(chunk) as string[][]) {
        rows++;
        seen.add(record[idColumn]!);
      }
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(rows).toBe(total);
    expect(seen.size).toBe(total);
    // One chunk per page (plus the header): nothing waits for the whole set.
    expect(chunks).toBe(1 + total / EXPORT_PAGE_SIZE);
    expect(chunks).toBeGreaterThanOrEqual(10);
    // A generous sanity bound, not a measurement (bench/explorer measures): the rows are never all held.
    expect(heapPeak - heapBefore).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});
