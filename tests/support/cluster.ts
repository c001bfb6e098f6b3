/**
 * A cluster on one Postgres database, as a deployment runs it: web instances (`server.ts` with
 * WORKER_IN_SERVER=false: HTTP, subscriptions and import intake) and workers (`npm run worker`:
 * fetches and enrichment), each a real process that can be killed (SIGKILL, no shutdown hooks) or
 * stopped (SIGTERM), plus a database handle for reading what they did.
 *
 * The first web instance migrates the new database before any other process starts, so no two
 * processes race to migrate it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '~/server/db/database';
import { createPostgresDatabase, testEnv } from './runtime';
import { startServerProcess, type ServerProcess } from './server-process';

const root = path.resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  /** The worker id it claims jobs as (job and import lease owners start with `${hostname}:${pid}:`). */
  id: string;
  pid: number;
  child: ChildProcess;
  output: () => string;
  kill(): Promise<void>;
  stop(): Promise<number | null>;
}

/** Starts `npm run worker` (tsx, no npm in between so the pid is the worker's) and waits until it claims. */
export function startWorkerProcess(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/enrichment/worker-main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', LINERNOTES_PRINT_URL: '1', ...testEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in time:\n${output}`)), opts.timeoutMs ?? 60_000);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LINERNOTES_WORKER=(\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        id: match[1]!,
        pid: child.pid!,
        child,
        output: () => output,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export interface Cluster {
  databaseUrl: string;
  /** Read-only use by the test: what the processes wrote. */
  database: DatabaseHandle;
  webs: ServerProcess[];
  workers: WorkerProcess[];
  startWeb(env?: Record<string, string>): Promise<ServerProcess>;
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  /** Kills every process, closes the handle and drops the database. */
  close(): Promise<void>;
}

/**
 * A new database on `serverUrl` with `webs` web instances and `workers` workers on it, every
 * process started with `env` (on top of the test defaults: no demo seed, no pollers).
 */
export async function startCluster(serverUrl: string, opts: { webs: number; workers: number; env?: Record<string, string> }): Promise<Cluster> {
  const created = await createPostgresDatabase(serverUrl, 'ln_cluster');
  const shared = {
    DATABASE_URL: created.url,
    FOLLOWER_POLL_MS: '0',
    ANALYTICS_REFRESH_MS: '0',
    WORKER_POLL_MS: '200',
    ...opts.env,
  };
  const webs: ServerProcess[] = [];
  const workers: WorkerProcess[] = [];
  const cluster: Cluster = {
    databaseUrl: created.url,
    database: undefined as unknown as DatabaseHandle,
    webs,
    workers,
    async startWeb(env = {}) {
      const web = await startServerProcess({ ...shared, WORKER_IN_SERVER: 'false', ...env });
      webs.push(web);
      return web;
    },
    async startWorker(env = {}) {
      const worker = await startWorkerProcess({ ...shared, ...env });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all([...webs.map((web) => web.kill().catch(() => {})), ...workers.map((worker) => worker.kill().catch(() => {}))]);
      await cluster.database?.close().catch(() => {});
      await created.drop();
    },
  };
  try {
    await cluster.startWeb();
    cluster.database = await openDatabase({ kind: 'postgres', url: created.url });
    await Promise.all([...Array.from({ length: opts.webs - 1 }, () => cluster.startWeb()), ...Array.from({ length: opts.workers }, () => cluster.startWorker())]);
  } catch (error) {
    await cluster.close().catch(() => {});
    throw error;
  }
  return cluster;
}

/** The pid in a lease owner id (`${hostname}:${pid}:${random}`), to tell which process holds it. */
export function pidOfOwner(owner: string | null): number | null {
  const match = owner ? /:(\d+):[^:]*$/.exec(owner) : null;
  return match ? Number(match[1]) : null;
}
