/**
 * New, migrated databases for tests, made once per machine and copied for each test.
 *
 * PGlite: initdb and the migrations take 4-5 s on an idle machine (over 10 s on a busy one); a
 * copy of a template directory and its first open take under one. Postgres: `CREATE DATABASE ...
 * TEMPLATE` instead of running the migrations on each new database (a third of a second each, on
 * the server's cores, which the test processes share).
 *
 * A template is named for what could change it (the migrations, the code that opens a database,
 * the PGlite and Drizzle versions), is made under another name and renamed when complete, and is
 * only ever read after that. The epoch and the default workspace are minted on a runtime's first
 * start, so every copy is a new database to the app, exactly as an empty one would be.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isAlive } from '~/server/db/data-dir-lock';

/**
 * Where test databases (and their templates) are made: /dev/shm when the machine has it with room
 * to spare, else the OS's temp directory. It is memory (tmpfs): copying the 40 MB template and
 * removing the copy after the test took 0.07 and 0.02 s there, against 0.26-0.47 and 0.13-0.28 s
 * on this machine's ext4 /tmp, and the database's own file I/O stays off the disk.
 */
export const databaseScratch: string = (() => {
  try {
    const shm = '/dev/shm';
    fs.accessSync(shm, fs.constants.W_OK);
    const { bavail, bsize } = fs.statfsSync(shm);
    return fs.statSync(shm).isDirectory() && bavail * bsize >= 2 * 1024 ** 3 ? shm : os.tmpdir();
  } catch {
    return os.tmpdir();
  }
})();

const RUN_PREFIX = 'linernotes-run-';

/**
 * A test run's own directory under databaseScratch, made by the vitest global setup
 * (tests/support/global-setup.ts) and removed with everything in it when the run ends: a database
 * a test leaves behind (a server process it killed, a directory it reopened) costs memory on
 * /dev/shm only until then. Also removes what runs that were killed left behind.
 */
export function startTestRun(): { dir: string; end: () => void } {
  for (const entry of fs.readdirSync(databaseScratch)) {
    const pid = Number(entry.slice(RUN_PREFIX.length).split('-')[0]);
    if (entry.startsWith(RUN_PREFIX) && pid > 0 && !isAlive(pid)) fs.rmSync(path.join(databaseScratch, entry), { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(databaseScratch, `${RUN_PREFIX}${process.pid}-`));
  return { dir, end: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty directory for a test database: in the run's directory (see startTestRun) when there is one. */
export function databaseDir(prefix = 'linernotes-test-'): string {
  return fs.mkdtempSync(path.join(process.env.LINERNOTES_TEST_RUN_DIR || databaseScratch, prefix));
}

const keys = new Map<string, string>();

/**
 * What a template depends on, for the checkout at `root`: its files are read and hashed once per
 * process, not for every new test database.
 */
function templateKey(root: string): string {
  let key = keys.get(root);
  if (!key) {
    key = hashInputs(root);
    keys.set(root, key);
  }
  return key;
}

function hashInputs(root: string): string {
  const hash = createHash('sha256').update(`${PGLITE_TEST_SETTINGS}\0`);
  const add = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) add(file);
      else hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update('\0');
    }
  };
  add(path.join(root, 'drizzle'));
  add(path.join(root, 'src/server/db'));
  for (const pkg of ['@electric-sql/pglite', 'drizzle-orm']) {
    hash.update(`${pkg}@${JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * What a PGlite test database sets apart from initdb's defaults. Postgres sets up its whole buffer
 * pool at every start, here in WebAssembly: initdb's 128 MB took 0.66-0.80 s of each test
 * database's first open, 16 MB 0.22-0.31 s (the app's own databases keep the default). A test
 * database holds a few MB.
 */
const PGLITE_TEST_SETTINGS = 'shared_buffers = 16MB';

const templates = new Map<string, Promise<string>>();

/**
 * The template's directory for the checkout at `root`; `make` creates a migrated database in the
 * directory it is given (and closes it) when no template is there yet.
 */
export function migratedTemplate(root: string, make: (dataDir: string) => Promise<void>): Promise<string> {
  const key = templateKey(root);
  let template = templates.get(key);
  if (!template) {
    template = (async () => {
      const final = path.join(databaseScratch, `linernotes-pglite-template-${key}`);
      if (fs.existsSync(path.join(final, 'pglite'))) return final;
      const dir = fs.mkdtempSync(path.join(databaseScratch, 'linernotes-pglite-template-new-'));
      try {
        await make(dir);
        fs.appendFileSync(path.join(dir, 'pglite', 'postgresql.conf'), `\n# Test databases (tests/support/db-templates.ts)\n${PGLITE_TEST_SETTINGS}\n`);
        // Another test process may have put the same template there meanwhile: then that one is used.
        fs.renameSync(dir, final);
        removeOldTemplates(final);
      } catch (error) {
        if (!fs.existsSync(path.join(final, 'pglite'))) throw error;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      return final;
    })();
    templates.set(key, template);
  }
  return template;
}

/**
 * Templates of other keys made over an hour ago: what earlier migrations and database code left
 * behind, 40 MB each, in memory when on /dev/shm. (A run still reading one of them would have made
 * its own copies of it in its first minutes.)
 */
function removeOldTemplates(keep: string): void {
  for (const entry of fs.readdirSync(databaseScratch)) {
    const dir = path.join(databaseScratch, entry);
    if (dir === keep || !/^linernotes-pglite-template-[0-9a-f]{16}$/.test(entry)) continue;
    const made = fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - made > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Puts a copy of the template database into `dataDir` (which must hold no database yet). */
export function copyTemplate(template: string, dataDir: string): void {
  fs.cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
}

const postgresTemplates = new Map<string, Promise<string>>();

/**
 * The name of the Postgres template database for the checkout at `root`, on the server `serverUrl`
 * names; `migrate` brings the database at the URL it is given up to date (and closes it) when the
 * server has no such template yet. The template takes no connections, so nothing (autovacuum
 * included) can make a `CREATE DATABASE ... TEMPLATE` of it fail as "being accessed by other users".
 */
export function postgresTemplate(root: string, serverUrl: string, migrate: (url: string) => Promise<void>): Promise<string> {
  const name = `ln_template_${templateKey(root)}`;
  let template = postgresTemplates.get(`${serverUrl} ${name}`);
  if (!template) {
    template = (async () => {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      try {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount) return name;
        const building = `ln_template_new_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
        await admin.query(`CREATE DATABASE ${building}`);
        try {
          const url = new URL(serverUrl);
          url.pathname = `/${building}`;
          await migrate(url.toString());
          await admin.query(`ALTER DATABASE ${building} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
          await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        } catch (error) {
          // Another test process may have made the same template meanwhile: then that one is used.
          const made = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
          if (!made.rowCount) throw error;
        } finally {
          await admin.query(`ALTER DATABASE ${building} IS_TEMPLATE false`).catch(() => {});
          await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        }
        return name;
      } finally {
        await admin.end();
      }
    })();
    postgresTemplates.set(`${serverUrl} ${name}`, template);
  }
  return template;
}
