/**
 * Runs once before the test files: makes sure a production build of the Next app exists and is
 * newer than its sources, so the tests that start the full server (Next route handlers, browser
 * tests) run against the same build `npm start` serves.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

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

export default function setup(): void {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > newestSource()) return;
  console.log('[tests] building the Next app (npm run build) for the full-server tests ...');
  execFileSync('npx', ['next', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } });
}
