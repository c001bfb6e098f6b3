/**
 * `npm run worker`: the enrichment worker alone, in its own process, against Postgres. Its events
 * reach the web process's subscribers through the Postgres bus (outbox + LISTEN/NOTIFY).
 *
 * SIGTERM / SIGINT: stop claiming, hand the job in progress back to the queue, release leases.
 */
import { loadConfig } from '../config';
import { log } from '../log';
import { createRuntime } from '../runtime';
import { startEnrichmentServices } from './enrichment-services';

export const PGLITE_REFUSAL =
  'npm run worker needs Postgres: set DATABASE_URL. With the embedded PGlite database only one process may open the data directory, ' +
  'and the server already runs the worker itself (WORKER_IN_SERVER=true).';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error(PGLITE_REFUSAL);
    process.exit(2);
  }
  const runtime = await createRuntime(config);
  const services = startEnrichmentServices(runtime, { worker: true, pollers: false });
  log.info({ workerId: services.worker?.id }, 'enrichment worker started');
  // Tests read this line to know the worker is claiming.
  if (process.env.LINERNOTES_PRINT_URL === '1') process.stdout.write(`LINERNOTES_WORKER=${services.worker?.id}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await services.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
