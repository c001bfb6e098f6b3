/**
 * For tests that start the full server (Next route handlers, browser tests): makes sure a
 * production build of the Next app exists and is newer than its sources, so they run against
 * what `npm start` serves. Test files run in parallel processes: one builds, the others wait.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const lockDir = path.join(root, '.next-build.lock');

function newestSource(): number {
  let newest = 0;
  const visit = (target: string) => {
    const stat = fs.statSync(target);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) visit(path.join(target, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of ['src', 'next.config.js', 'postcss.config.mjs', 'package-lock.json']) {
    const target = path.join(root, entry);
    if (fs.existsSync(target)) visit(target);
  }
  return newest;
}

function isFresh(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  return fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > newestSource();
}

export async function ensureProductionBuild(): Promise<void> {
  for (;;) {
    if (isFresh()) return;
    try {
      fs.mkdirSync(lockDir); // atomic: exactly one test process builds
    } catch {
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true }); // a crashed builder's lock
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    try {
      if (isFresh()) return;
      console.log('[tests] building the Next app (next build) for the full-server tests ...');
      await promisify(execFile)('npx', ['next', 'build'], {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
        maxBuffer: 64 << 20,
      });
      return;
    } finally {
      fs.rmSync(lockDir, { recursive: true, force: true });
    }
  }
}
