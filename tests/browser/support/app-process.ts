/**
 * The real app (server.ts, production mode, Next included) as a child process on a fresh data
 * directory (a new database, copied from a migrated template). It can be stopped and started
 * again on the same directory and port, which is how the tests cut every WebSocket and bring the
 * server back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

let template: Promise<string> | null = null;

/** What a template database depends on: the migrations and the versions of the code that wrote them. */
function templateKey(): string {
  const hash = createHash('sha256');
  const add = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) add(file);
      else hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update('\0');
    }
  };
  add(path.join(root, 'drizzle'));
  for (const pkg of ['@electric-sql/pglite', 'drizzle-orm']) {
    hash.update(`${pkg}@${JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A new, migrated database, made once by the tested app's own code and copied into each data
 * directory: PGlite's initdb and the migrations take seconds per start otherwise (far more on a
 * busy machine). It is kept in the temp directory under a name derived from the migrations, so
 * test files and runs share it; it is put there whole (made elsewhere, then renamed) and only ever
 * read after that. The epoch and the default workspace are minted on the app's first start, so
 * every copy is a new database to the app, exactly as an empty directory would be.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const final = path.join(os.tmpdir(), `linernotes-browser-template-${templateKey()}`);
    if (fs.existsSync(path.join(final, 'pglite'))) return final;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-browser-template-new-'));
    try {
      await new Promise<void>((resolve, reject) => {
        const script =
          "import { openDatabase } from './src/server/db/database.ts';" +
          "const handle = await openDatabase({ kind: 'pglite', dataDir: process.env.LINERNOTES_TEMPLATE_DIR });" +
          'await handle.close();';
        const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['--input-type=module', '--eval', script], {
          cwd: root,
          env: { ...process.env, LINERNOTES_TEMPLATE_DIR: dir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let log = '';
        child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
        child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`making the template database failed (exit ${code}):\n${log.slice(-3000)}`))));
      });
      // Another test file may have put the same template there meanwhile: then that one is used.
      fs.renameSync(dir, final);
    } catch (error) {
      if (!fs.existsSync(path.join(final, 'pglite'))) throw error;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return final;
  })();
  return template;
}

/** Empties `dataDir` and puts a copy of the template database in it. */
async function freshDatabase(dataDir: string): Promise<void> {
  const source = await migratedTemplate();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir);
  fs.cpSync(path.join(source, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
}

export async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-browser-'));
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
