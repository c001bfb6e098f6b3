/**
 * The upload and errors.csv routes as Next serves them (production build, full server in a child
 * process): Next's bundle of the importer reaches the server's runtime, and the import it starts
 * shows up on the server's own tRPC API.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createScriptClient } from '~/trpc/client';
import { apiKeyOverHttp, signUpOverHttp } from '../support/http-accounts';
import { waitFor } from '../support/iterate';
import { ensureProductionBuild } from '../support/next-build';
import { freshDataDir } from '../support/runtime';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { fixture, fixturesDir } from './support';

let server: ServerProcess;
/** A member's key: uploads need member or up; the download and the queries need a viewer. */
let apiKey: string;
let auth: { authorization: string };
beforeAll(async () => {
  await ensureProductionBuild();
  server = await startServerProcess(
    { DATA_DIR: await freshDataDir(), NODE_ENV: 'production', DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', WORKER_IN_SERVER: 'true', WORKER_CONCURRENCY: '0' },
    { next: true, timeoutMs: 120_000 },
  );
  apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie, 'member');
  auth = { authorization: `Bearer ${apiKey}` };
}, 600_000);
afterAll(() => server?.stop());

test('POST /api/imports (multipart) starts an import; GET errors.csv downloads its failed rows', async () => {
  const form = new FormData();
  form.set('file', new File([fixture('mixed-outcomes.csv')], 'mixed.csv', { type: 'text/csv' }));
  const response = await fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers: auth });
  expect(response.status).toBe(202);
  const { importId } = (await response.json()) as { importId: string };

  const { client, close } = createScriptClient({ baseUrl: server.url, transport: 'sse', apiKey });
  try {
    const done = await waitFor(async () => {
      const current = await client.imports.get.query({ importId });
      return current.status === 'completed' ? current : null;
    }, { what: 'the import to complete' });
    expect(done).toMatchObject({ filename: 'mixed.csv', total: 7, created: 3, duplicates: 1, failed: 3 });
  } finally {
    close();
  }

  const report = await fetch(`${server.url}/api/imports/${importId}/errors.csv`, { headers: auth });
  expect(report.status).toBe(200);
  expect(report.headers.get('content-disposition')).toBe('attachment; filename="mixed-errors.csv"');
  const lines = (await report.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('row,reason,url,name,tags');
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['4', '5', '6']);
});

test('the raw-body upload refuses non-UTF-8 bytes with 415 and a code', async () => {
  const response = await fetch(`${server.url}/api/imports?filename=latin1.csv`, {
    method: 'POST',
    body: fs.readFileSync(`${fixturesDir}/latin1.csv`),
    headers: { 'content-type': 'text/csv', ...auth },
  });
  expect(response.status).toBe(415);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_TEXT');
  expect((await fetch(`${server.url}/api/imports/nope/errors.csv`, { headers: auth })).status).toBe(404);
});
