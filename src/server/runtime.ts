/**
 * The process-wide runtime: database, bus, outbox and subscriber hub (the worker and importer
 * join them). `server.ts` creates it once; code that Next bundles reaches the same instance
 * through globalThis, never a second one: two PGlite instances on one data directory lose rows.
 */
import type { Config } from './config';
import { openDatabase, type Database, type DatabaseHandle } from './db/database';
import { ensureEpoch } from './db/bootstrap';
import { AccessWatch } from './api/access-watch';
import { createAuth, type Auth } from './auth/auth';
import { authHooks } from './auth/auth-hooks';
import { resolveAuthSecret } from './auth/auth-secret';
import type { EventBus } from './events/bus';
import { MemoryBus } from './events/bus-memory';
import { PostgresBus } from './events/bus-postgres';
import { EventLog } from './events/event-log';
import { defaultFlowControl, type FlowControl } from './events/flow-control';
import { SubscriberHub } from './events/hub';
import { selectProviders } from './providers/select-providers';
import type { Providers } from './providers/types';
import type { AppFigures } from './observability/metrics';

export interface Runtime {
  config: Config;
  db: Database;
  dbKind: DatabaseHandle['kind'];
  handle: DatabaseHandle;
  bus: EventBus;
  log: EventLog;
  hub: SubscriberHub;
  flow: FlowControl;
  /** Catalog, credits and stats providers (demo by default), shared by every job in the process. */
  providers: Providers;
  /** Better Auth: accounts, sessions, workspaces (its organisations), API keys. */
  auth: Auth;
  /** Open connections' grants, re-checked so that revoked access ends their streams. */
  access: AccessWatch;
  /** The app server's live figures (connections, queues, lag), once one serves this runtime; the ops page reads them. */
  figures: AppFigures | null;
  /** Stop-and-release hooks the services started on this runtime add (worker, importer, pollers). */
  onClose: Array<() => Promise<void> | void>;
  close(): Promise<void>;
}

export async function createRuntime(
  config: Config,
  options: { flow?: Partial<FlowControl>; providers?: Providers } = {},
): Promise<Runtime> {
  const handle = await openDatabase(
    config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  const epoch = await ensureEpoch(handle.db);
  // On Postgres other processes (workers, more web instances) may write events: the bus reads
  // them from the shared outbox. PGlite has one process by construction.
  const postgresBus = handle.kind === 'postgres' ? new PostgresBus(handle.pool!) : null;
  const bus: EventBus = postgresBus ?? new MemoryBus();
  const log = new EventLog(handle.db, bus, epoch);
  await log.init();
  if (postgresBus) await postgresBus.start((afterSeq, limit) => log.readAllAfter(afterSeq, limit), await log.head());
  const onClose: Runtime['onClose'] = [];
  let closing: Promise<void> | null = null;
  const access = new AccessWatch(handle.db, config.ACCESS_RECHECK_MS);
  // The auth hooks need the runtime they are part of (to log activity, seed, end streams).
  let self: Runtime | null = null;
  const auth = createAuth({ db: handle.db, config, secret: resolveAuthSecret(config), hooks: authHooks(() => self!) });
  self = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    handle,
    bus,
    log,
    hub: new SubscriberHub(bus),
    flow: { ...defaultFlowControl, ...options.flow },
    providers: options.providers ?? selectProviders(config),
    auth,
    access,
    figures: null,
    onClose,
    close() {
      closing ??= (async () => {
        access.close();
        for (const hook of onClose.reverse()) await hook();
        await bus.close();
        await handle.close();
      })();
      return closing;
    },
  };
  return self;
}

const runtimeKey = Symbol.for('linernotes.runtime');
type Holder = { [runtimeKey]?: Promise<Runtime> };

/** Creates the process's runtime once; later callers (and Next's bundles) get the same one. */
export function startRuntime(config: Config): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[runtimeKey] ??= createRuntime(config);
  return holder[runtimeKey];
}

/** The process's runtime, for code Next bundles (route handlers, server components). */
export function getRuntime(): Promise<Runtime> {
  const runtime = (globalThis as Holder)[runtimeKey];
  if (!runtime) throw new Error('The Linernotes runtime is not started: run the app with `npm run dev` or `npm start` (server.ts).');
  return runtime;
}

export function forgetRuntime(): void {
  delete (globalThis as Holder)[runtimeKey];
}
