/**
 * The HTTP side: the upload route's logic (raw body and multipart) and the errors.csv download,
 * round-tripped: download the failed rows, fix them, upload the fixed file, all rows created.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { handleErrorReportDownload } from '~/server/imports/error-report-handler';
import { handleImportUpload } from '~/server/imports/upload-handler';
import { callerFor } from '../support/caller';
import type { TestRuntime } from '../support/runtime';
import { demoId, fixture, fixturesDir, importRuntime, importsSettled, rowOutcomes } from './support';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await importRuntime({ env: { IMPORT_MAX_BYTES: '4096' } });
});
afterAll(() => runtime.dispose());

const upload = (body: BodyInit, opts: { query?: string; headers?: Record<string, string> } = {}) =>
  handleImportUpload(
    runtime,
    runtime.workspaceId,
    new Request(`http://localhost/api/imports${opts.query ?? ''}`, { method: 'POST', body, headers: opts.headers, duplex: 'half' } as RequestInit),
  );

test('the error CSV round-trips: download, fix, re-import', async () => {
  const first = await upload(fixture('mixed-outcomes.csv'), { query: '?filename=mixed-outcomes.csv', headers: { 'content-type': 'text/csv' } });
  expect(first.status).toBe(202);
  const { importId } = (await first.json()) as { importId: string };
  await importsSettled(runtime);
  expect(await callerFor(runtime).imports.get({ importId })).toMatchObject({ filename: 'mixed-outcomes.csv', created: 3, failed: 3 });

  const download = await handleErrorReportDownload(runtime, runtime.workspaceId, importId);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(download.headers.get('content-disposition')).toBe('attachment; filename="mixed-outcomes-errors.csv"');
  const report = await download.text();
  const lines = report.trimEnd().split('\r\n');
  expect(lines[0]).toBe('row,reason,url,name,tags');
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['4', '5', '6']);
  expect(lines[1]).toBe('4,"""not a playlist"" is not a Spotify playlist URL, URI or id",not a playlist,Bad ref,');
  expect(lines[3]).toContain(`${demoId(153)},Too,many,columns,here`);

  // The person fixes each row in place: a real id for the bad and the unknown one, the stray commas quoted.
  const fixed = report
    .replace('not a playlist,Bad ref,', `${demoId(155)},Bad ref,`)
    .replaceAll('DemoMissing00000000151', demoId(156))
    .replace(`${demoId(153)},Too,many,columns,here`, `${demoId(153)},"Too, many, columns",here`);
  const form = new FormData();
  form.set('file', new File([fixed], 'mixed-outcomes-errors.csv', { type: 'text/csv' }));
  const second = await upload(form);
  expect(second.status).toBe(202);
  const again = ((await second.json()) as { importId: string }).importId;
  await importsSettled(runtime);
  expect(await callerFor(runtime).imports.get({ importId: again })).toMatchObject({ filename: 'mixed-outcomes-errors.csv', total: 3, created: 3, failed: 0 });
  expect((await rowOutcomes(runtime, again)).map((row) => row.outcome)).toEqual(['created', 'created', 'created']);
  const empty = await (await handleErrorReportDownload(runtime, runtime.workspaceId, again)).text();
  expect(empty).toBe('row,reason,url,name,tags\r\n');
});

describe('upload refusals carry a status and a code', () => {
  test.each([
    ['latin1.csv', 415, 'NOT_TEXT'],
    ['binary.bin', 415, 'NOT_TEXT'],
    ['empty.csv', 400, 'EMPTY_FILE'],
    ['header-only.csv', 400, 'HEADER_ONLY'],
    ['unterminated-quote.csv', 400, 'UNCLOSED_QUOTE'],
  ])('%s -> %d %s', async (file, status, code) => {
    const response = await upload(fs.readFileSync(path.join(fixturesDir, file)));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  test('a body over IMPORT_MAX_BYTES, declared or not', async () => {
    const big = `url\n${demoId(1)}\n`.padEnd(5000, ' ');
    const declared = await upload(big, { headers: { 'content-length': '5000' } });
    expect(declared.status).toBe(413);
    const streamed = await upload(new Blob([big]).stream(), {});
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { message: string } }).error.message).toMatch(/larger than/);
  });

  test('a form without a file field; an unknown import', async () => {
    const form = new FormData();
    form.set('csv', 'not a file');
    expect((await upload(form)).status).toBe(400);
    expect((await handleErrorReportDownload(runtime, runtime.workspaceId, 'missing')).status).toBe(404);
  });
});

test('a multipart upload with no Content-Length is refused with 413 once it passes the limit, without reading the rest', async () => {
  const boundary = 'linernotes-boundary';
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nurl\r\n`);
  const line = new TextEncoder().encode(`https://open.spotify.com/playlist/${demoId(1)}\r\n`);
  let sent = head.byteLength;
  // An endless body: only the cap can end this upload.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    pull(controller) {
      sent += line.byteLength;
      controller.enqueue(line);
    },
  });
  const response = await upload(body, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FILE_TOO_LARGE');
  // The limit (4 KB here) plus the multipart allowance (64 KB), and not much more, was read.
  expect(sent).toBeLessThan(4096 + 64 * 1024 + 64 * 1024);
});
