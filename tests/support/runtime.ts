/**
 * Test runtimes on a fresh database: PGlite in a temp directory, or (when TEST_DATABASE_URL is
 * set) a fresh Postgres database created for the test and dropped after it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '~/server/config';
import { openDatabase } from '~/server/db/database';
import type { FlowControl } from '~/server/events/flow-control';
import { createRuntime, type Runtime } from '~/server/runtime';
import { createWorkspace } from './accounts';
import { copyTemplate, databaseDir, migratedTemplate, postgresTemplate } from './db-templates';

export { databaseDir };

export type Engine = 'pglite' | 'postgres';

export const postgresUrl = process.env.TEST_DATABASE_URL || null;

/** The engines storage tests run on: PGlite always, Postgres when TEST_DATABASE_URL is set. */
export const engines: Engine[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
if (!postgresUrl && !process.env.LINERNOTES_SKIP_NOTICE_PRINTED) {
  process.env.LINERNOTES_SKIP_NOTICE_PRINTED = '1';
  console.warn('[tests] TEST_DATABASE_URL is not set: the Postgres variants of the storage tests are skipped.');
}

export function tempDir(prefix = 'linernotes-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const root = path.resolve(import.meta.dirname, '../..');

/** A data directory holding a new, migrated PGlite database: a copy of the machine's template. */
export async function freshDataDir(): Promise<string> {
  const template = await migratedTemplate(root, async (dataDir) => {
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    await handle.close();
  });
  const dir = databaseDir();
  copyTemplate(template, dir);
  return dir;
}

/**
 * A fresh, migrated Postgres database (a copy of the server's template) next to the one
 * `serverUrl` names (TEST_DATABASE_URL by default); returns its URL and the function that drops
 * it. The import benchmark uses it too.
 */
export async function createPostgresDatabase(serverUrl: string | null = postgresUrl, prefix = 'ln_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const template = await postgresTemplate(root, serverUrl, async (url) => {
    const handle = await openDatabase({ kind: 'postgres', url });
    await handle.close();
  });
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Settings every test runtime and test server process starts with: tests sign up many accounts
 * from one address, add demo playlists only when they ask, and share one secret (so a Postgres
 * test never writes ./data/auth-secret).
 */
export const testEnv: Record<string, string> = {
  DEMO_SEED_PLAYLISTS: '0',
  AUTH_RATE_LIMIT: 'false',
  BETTER_AUTH_SECRET: 'linernotes-tests-secret-0123456789abcdef',
  ACCESS_RECHECK_MS: '500',
};

export interface TestRuntime extends Runtime {
  /** A workspace made for the test (no members): procedure-level tests act in it. */
  workspaceId: string;
  /** Closes the runtime and removes its database. */
  dispose(): Promise<void>;
  /** The config it was made with (DATA_DIR or DATABASE_URL), to open the same database again. */
  target: Config;
}

export async function createTestRuntime(
  opts: { engine?: Engine; env?: Record<string, string>; flow?: Partial<FlowControl>; config?: Config } = {},
): Promise<TestRuntime> {
  const engine = opts.engine ?? 'pglite';
  const env = { ...testEnv, ...opts.env };
  let config: Config;
  let cleanup: () => Promise<void>;
  if (opts.config) {
    config = opts.config;
    cleanup = async () => {};
  } else if (engine === 'postgres') {
    const database = await createPostgresDatabase();
    config = loadConfig({ ...env, DATABASE_URL: database.url });
    cleanup = database.drop;
  } else {
    const dir = await freshDataDir();
    config = loadConfig({ ...env, DATA_DIR: dir });
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const runtime = await createRuntime(config, { flow: opts.flow });
  return Object.assign(runtime, {
    workspaceId: await createWorkspace(runtime),
    target: config,
    async dispose() {
      await runtime.close();
      await cleanup();
    },
  });
}
