/**
 * The real app (server.ts, production mode, Next included) as a child process on a fresh data
 * directory (a new database: a copy of the machine's migrated template, tests/support/db-templates).
 * It can be stopped and started again on the same directory and port, which is how the tests cut
 * every WebSocket and bring the server back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyTemplate, databaseDir, migratedTemplate } from '../../support/db-templates';

/** The checkout whose app is tested; another one (a clean copy) can be named for a local try-out. */
const root = process.env.LINERNOTES_BROWSER_APP_ROOT ?? path.resolve(import.meta.dirname, '../../..');

/**
 * Short intervals so a test sees the whole pipeline in seconds; small demo latency keeps phases
 * visible. Production mode needs an auth secret; every flow signs up, so no sign-up rate limit.
 */
export const fastPipelineEnv: Record<string, string> = {
  LOG_LEVEL: 'warn',
  BETTER_AUTH_SECRET: 'linernotes-tests-secret-0123456789abcdef',
  AUTH_RATE_LIMIT: 'false',
  DEMO_SEED_PLAYLISTS: '0',
  // Long enough that a phase shows on the board; each flow waits on whole pipelines, so it is most of their time.
  DEMO_LATENCY_MS: '100',
  DEMO_FAILURE_RATE: '0.08',
  WORKER_CONCURRENCY: '1',
  WORKER_POLL_MS: '200',
  JOB_BACKOFF_BASE_MS: '500',
  JOB_BACKOFF_MAX_MS: '2000',
  ANALYTICS_REFRESH_MS: '1000',
  FOLLOWER_POLL_MS: '2000',
  IMPORT_PROGRESS_INTERVAL_MS: '50',
  IMPORT_COMMIT_EVERY_ROWS: '1',
};

export interface AppProcess {
  url: string;
  port: number;
  dataDir: string;
  /** SIGTERM and wait for the process to exit (it closes every socket on the way). */
  stop(): Promise<void>;
  /** Start again on the same port: on the same data directory, or (`wipe`) on a new database in it. */
  restart(opts?: { wipe?: boolean }): Promise<void>;
  /** Stop and remove the data directory. */
  dispose(): Promise<void>;
  output(): string;
}

function launch(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', LINERNOTES_PRINT_URL: '1', NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const output = () => log;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not print its URL within 60 s:\n${log.slice(-3000)}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /LINERNOTES_URL=(\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code} before it was ready:\n${log.slice(-3000)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Makes the template with the tested checkout's own code, in a process of its own. */
function makeTemplate(dataDir: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const script =
      "import { openDatabase } from './src/server/db/database.ts';" +
      "const handle = await openDatabase({ kind: 'pglite', dataDir: process.env.LINERNOTES_TEMPLATE_DIR });" +
      'await handle.close();';
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['--input-type=module', '--eval', script], {
      cwd: root,
      env: { ...process.env, LINERNOTES_TEMPLATE_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`making the template database failed (exit ${code}):\n${log.slice(-3000)}`))));
  });
}

/** Empties `dataDir` and puts a copy of the template database in it. */
async function freshDatabase(dataDir: string): Promise<void> {
  const template = await migratedTemplate(root, makeTemplate);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir);
  copyTemplate(template, dataDir);
}

export async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const dataDir = databaseDir('linernotes-browser-');
  await freshDatabase(dataDir);
  const baseEnv = { ...fastPipelineEnv, ...env, DATA_DIR: dataDir, HOST: '127.0.0.1' };
  let current = await launch({ ...baseEnv, PORT: '0' });
  const port = Number(new URL(current.url).port);
  let log = '';
  return {
    url: current.url,
    port,
    dataDir,
    async stop() {
      await stopChild(current.child);
      log += current.output();
    },
    async restart(opts = {}) {
      if (opts.wipe) await freshDatabase(dataDir);
      current = await launch({ ...baseEnv, PORT: String(port) });
    },
    async dispose() {
      await stopChild(current.child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    output: () => log + current.output(),
  };
}
