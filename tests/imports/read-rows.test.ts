/** Reading CSV files into import rows: every supported format, and every bad input refused with a code. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { csvTextFromBytes, checkCsvText } from '~/server/imports/csv-text';
import { ImportError } from '~/server/imports/import-error';
import { inspectCsv, readImportRows } from '~/server/imports/import-rows';

const fixtures = path.resolve(__dirname, '../fixtures/csv');
const limits = { maxRecordBytes: 64 * 1024, maxRows: 100_000 };
const demo = (n: number) => `DemoPlaylist${String(n).padStart(10, '0')}`;

const fixtureText = (name: string) => csvTextFromBytes(fs.readFileSync(path.join(fixtures, name)), 32 << 20);

async function rowsOf(text: string) {
  const rows = [];
  for await (const row of readImportRows(text, limits)) rows.push(row);
  return rows;
}

async function importErrorOf(work: () => unknown): Promise<ImportError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('formats', () => {
  test('comma, header, quoted name with a comma and quotes, tags', async () => {
    const rows = await rowsOf(fixtureText('comma-header.csv'));
    expect(rows.map((r) => [r.rowNumber, r.spotifyId, r.name, r.tags, r.problem])).toEqual([
      [1, demo(101), 'Coffee, Tea & "Me"', ['chill', 'focus'], null],
      [2, demo(102), 'Gym', ['workout'], null],
      [3, demo(103), undefined, [], null],
    ]);
  });

  test('semicolons, capitalised header, tags split on commas inside the cell', async () => {
    const rows = await rowsOf(fixtureText('semicolon.csv'));
    expect(rows.map((r) => [r.spotifyId, r.name, r.tags])).toEqual([
      [demo(111), 'Semikolon eins', ['rock', 'indie']],
      [demo(112), 'Semikolon zwei', []],
    ]);
  });

  test('tabs, spotify_url header in the second column', async () => {
    const rows = await rowsOf(fixtureText('tab.tsv'));
    expect(rows.map((r) => [r.spotifyId, r.name])).toEqual([
      [demo(121), 'Tab one'],
      [demo(122), 'Tab two'],
    ]);
  });

  test('a single column without a header; blank lines are not rows', async () => {
    const rows = await rowsOf(fixtureText('single-column.csv'));
    expect(rows.map((r) => [r.rowNumber, r.spotifyId])).toEqual([
      [1, demo(131)],
      [2, demo(132)],
      [3, demo(133)],
    ]);
  });

  test('BOM, CRLF and a quoted value over two lines', async () => {
    const rows = await rowsOf(fixtureText('bom-crlf.csv'));
    expect(rows.map((r) => [r.spotifyId, r.name])).toEqual([
      [demo(141), 'Two\r\nlines'],
      [demo(142), 'Plain'],
    ]);
  });

  test('per-row problems: not a playlist, too many columns; raw value keeps the cells', async () => {
    const rows = await rowsOf(fixtureText('mixed-outcomes.csv'));
    expect(rows).toHaveLength(7);
    expect(rows[3]!.problem).toBe('"not a playlist" is not a Spotify playlist URL, URI or id');
    expect(rows[5]!.problem).toMatch(/^the row has 5 columns, the file 3/);
    expect(rows[5]!.rawValue).toBe(`${demo(153)},Too,many,columns,here`);
    expect(rows[0]!.rawValue).toBe(`${demo(151)},First,`);
  });

  test('a row number counts data rows whatever is wrong with them', async () => {
    const rows = await rowsOf('url\nbad one\n' + demo(1) + '\n');
    expect(rows.map((r) => [r.rowNumber, r.problem === null])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  test('the parse streams: rows of a large file arrive before the whole file is read', async () => {
    const text = 'url\n' + Array.from({ length: 20_000 }, (_, i) => demo(i + 1)).join('\n');
    const iterator = readImportRows(text, limits);
    const first = await iterator.next();
    expect(first.value?.spotifyId).toBe(demo(1));
    await iterator.return(undefined);
    expect((await inspectCsv(text, limits)).rows).toBe(20_000);
  });
});

describe('bad input is refused with a code and a sentence', () => {
  const cases: Array<[string, string]> = [
    ['empty.csv', 'EMPTY_FILE'],
    ['whitespace-only.csv', 'EMPTY_FILE'],
    ['binary.bin', 'NOT_TEXT'],
    ['latin1.csv', 'NOT_TEXT'],
  ];
  test.each(cases)('%s -> %s (decoding)', async (file, code) => {
    const error = await importErrorOf(() => fixtureText(file));
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
  });

  test.each([
    ['header-only.csv', 'HEADER_ONLY'],
    ['unterminated-quote.csv', 'UNCLOSED_QUOTE'],
    ['no-url-column.csv', 'NO_URL_COLUMN'],
  ])('%s -> %s (parsing)', async (file, code) => {
    const error = await importErrorOf(() => inspectCsv(fixtureText(file), limits));
    expect(error.code).toBe(code);
  });

  test('binary content that arrived as a string (NUL, replacement characters, lone surrogates)', async () => {
    expect((await importErrorOf(() => checkCsvText('url\n\u0000\u0001', 1000))).code).toBe('NOT_TEXT');
    expect((await importErrorOf(() => checkCsvText('url\nCaf\uFFFD', 1000))).code).toBe('NOT_TEXT');
    // A JSON string may carry one (the fuzz suite sent "\udc00"); Postgres refuses it as UTF-8.
    expect((await importErrorOf(() => checkCsvText('\udc00', 1000))).code).toBe('NOT_TEXT');
    expect((await importErrorOf(() => checkCsvText('url\nx\ud800', 1000))).code).toBe('NOT_TEXT');
    expect(checkCsvText('url\n\ud83c\udfb5', 1000)).toBe('url\n\ud83c\udfb5');
  });

  test('a 10 MB single line', async () => {
    const text = 'url\n' + 'x'.repeat(10 << 20) + '\n';
    const error = await importErrorOf(() => inspectCsv(text, limits));
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toContain('line 2');
  });

  test('more rows than the limit, more bytes than the limit', async () => {
    const text = 'url\n' + Array.from({ length: 11 }, (_, i) => demo(i + 1)).join('\n');
    expect((await importErrorOf(() => inspectCsv(text, { ...limits, maxRows: 10 }))).code).toBe('TOO_MANY_ROWS');
    expect((await inspectCsv(text, { ...limits, maxRows: 11 })).rows).toBe(11);
    expect((await importErrorOf(() => checkCsvText(text, 100))).code).toBe('FILE_TOO_LARGE');
    expect((await importErrorOf(() => csvTextFromBytes(Buffer.from(text), 100))).code).toBe('FILE_TOO_LARGE');
  });
});
