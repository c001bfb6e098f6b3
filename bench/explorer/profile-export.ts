/**
 * Where the CSV export's time goes on PGlite: builds BENCH_EXPLORER_TRACKS tracks (20,000 by
 * default), exports them under the V8 profiler, and prints wall and CPU time, the share of the
 * database (PGlite's WebAssembly), of PGlite's JavaScript (its wire-protocol parser), of ours and
 * of GC, and the functions that took longest. For looking, not a figure:
 * `npx tsx bench/explorer/profile-export.ts`.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '~/server/config';
import { createRuntime } from '~/server/runtime';
import { exportTracksCsv } from '~/server/tracks/export-tracks';
import { createWorkspace } from '../../tests/support/accounts';
import { testEnv } from '../../tests/support/runtime';
import { generateExplorerData } from './generate';

const n = Number(process.env.BENCH_EXPLORER_TRACKS ?? 20_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-profile-'));
const runtime = await createRuntime({ ...loadConfig({ ...testEnv, LOG_LEVEL: 'warn', DATA_DIR: dataDir }), DATABASE_URL: undefined });
try {
  const workspaceId = await createWorkspace(runtime, 'Profile');
  await generateExplorerData(runtime.db, workspaceId, { tracks: n, playlists: Math.max(1, Math.round(n / 50)), tags: 24, seed: 0.42 });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of exportTracksCsv(runtime.db, workspaceId, {})) bytes += chunk.length;
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const { profile } = await session.post('Profiler.stop');
  console.log(`export of ${n} rows (${(bytes / 1e6).toFixed(1)} MB): wall ${wall.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${Math.round((n / wall) * 1000)} rows/s`);

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber}`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + (deltas[i] ?? 0));
  });
  const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
  const shares = new Map<string, number>();
  for (const [key, micros] of selfTime) {
    const part = key.includes('wasm') ? 'database (wasm)' : key.includes('(idle)') ? 'idle' : key.includes('garbage') ? 'GC' : key.includes('pglite') || key.includes('chunk-') ? 'PGlite JS' : 'our JS and Node';
    shares.set(part, (shares.get(part) ?? 0) + micros);
  }
  console.log([...shares].map(([part, micros]) => `${part} ${(micros / 1000).toFixed(0)} ms`).join(', '));
  for (const [key, micros] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${(micros / 1000).toFixed(0).padStart(6)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
} finally {
  await runtime.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
