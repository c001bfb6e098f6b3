/**
 * The browser tests run against `next build` output. It is built once per test run: only when
 * .next/BUILD_ID is missing or older than any source the build reads. A lock directory keeps two
 * test files (or two runs) from building at the same time; the second waits and then reuses it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The checkout whose app is tested; another one (a clean copy) can be named for a local try-out. */
const root = process.env.LINERNOTES_BROWSER_APP_ROOT ?? path.resolve(import.meta.dirname, '../../..');
const buildId = path.join(root, '.next', 'BUILD_ID');
const lockDir = path.join(root, '.next-build.lock');
const inputs = ['src', 'next.config.js', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function newestSourceMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestSourceMtime(path.join(entry, child)));
  return newest;
}

function buildIsCurrent(): boolean {
  const built = fs.statSync(buildId, { throwIfNoEntry: false });
  if (!built) return false;
  const newest = Math.max(...inputs.map((input) => newestSourceMtime(path.join(root, input))));
  return built.mtimeMs >= newest;
}

async function takeLock(): Promise<() => void> {
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch {
      // A lock older than 10 minutes is one a killed run left behind.
      const stat = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 600_000) fs.rmSync(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

export async function ensureProductionBuild(): Promise<void> {
  if (buildIsCurrent()) return;
  const release = await takeLock();
  try {
    if (buildIsCurrent()) return;
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (result.status !== 0) {
      throw new Error(`next build failed (exit ${result.status}):\n${(result.stdout + result.stderr).split('\n').slice(-40).join('\n')}`);
    }
  } finally {
    release();
  }
}
