/**
 * Opens the database: PGlite under a data directory by default (no setup), Postgres when a
 * connection string is given. Both get the same schema and the same committed migrations.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { lockDataDir } from './data-dir-lock';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** The node-postgres pool (Postgres only): LISTEN/NOTIFY and the migration lock use it. */
  pool?: import('pg').Pool;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');
// An arbitrary constant: the advisory lock that serializes migrations across processes.
const MIGRATION_LOCK = 727_001;

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  const handle = target.kind === 'pglite' ? await openPglite(target.dataDir) : await openPostgres(target.url);
  try {
    await migrate(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const release = lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const pgDir = path.join(path.resolve(dataDir), 'pglite');
    fs.mkdirSync(pgDir, { recursive: true }); // PGlite does not create parent folders
    // pg_trgm backs the track explorer's substring search (a trigram index the migrations create);
    // Postgres has it as a contrib extension, PGlite loads it with the database.
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const client = yieldingBetweenQueries(await PGlite.create(pgDir, { extensions: { pg_trgm }, ...(await compiledPgliteModules()) }));
    const db = drizzle(client, { schema }) as unknown as Database;
    return {
      db,
      kind: 'pglite',
      async close() {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

type PgliteModules = { pgliteWasmModule?: WebAssembly.Module; initdbWasmModule?: WebAssembly.Module };
let pgliteModules: Promise<PgliteModules> | undefined;

/**
 * PGlite's WebAssembly (Postgres and initdb), compiled once per process. Left to itself, PGlite
 * reads and compiles both on every open, and V8 then optimises each new copy again on background
 * threads: about 0.3 s of CPU for every database a process opens (a restart, a second runtime,
 * each test). Should the files not be found, PGlite is left to load them itself.
 */
function compiledPgliteModules(): Promise<PgliteModules> {
  return (pgliteModules ??= (async () => {
    try {
      const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
      const compile = async (file: string) => WebAssembly.compile(await fs.promises.readFile(path.join(dist, file)));
      const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile('pglite.wasm'), compile('initdb.wasm')]);
      return { pgliteWasmModule, initdbWasmModule };
    } catch {
      return {};
    }
  })());
}

/**
 * PGlite runs each query on this thread and settles it in a microtask, so a loop of queries (a
 * worker whose provider answers at once) is one endless chain of microtasks: timers, sockets and
 * streams would not run until it paused, and the UI's queries would wait for a whole import.
 * Every query and transaction started outside a transaction therefore begins on a new macrotask:
 * the event loop turns between any two of them, and a request that arrives meanwhile takes its
 * place in the database's (first come, first served) queue behind at most the work already in it.
 */
function yieldingBetweenQueries<T extends { query: (...args: never[]) => Promise<unknown>; exec: (...args: never[]) => Promise<unknown>; transaction: (...args: never[]) => Promise<unknown> }>(client: T): T {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (const method of ['query', 'exec', 'transaction'] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      await turn();
      return original(...args);
    };
  }
  return client;
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.default.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10) });
  pool.on('error', () => {}); // an idle client's error is reported on its next use
  const db = drizzle(pool, { schema }) as unknown as Database;
  return { db, kind: 'postgres', pool, close: () => pool.end() };
}

async function migrate(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(handle.db as never, { migrationsFolder });
    return;
  }
  // Web and worker processes may start together: one migrates, the others wait for it.
  const client = await handle.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    await run(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** Rows of a raw query, whichever driver ran it. */
export async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
