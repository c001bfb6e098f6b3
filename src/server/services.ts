/**
 * The background services that run beside the API in the server process: the outbox trimmer
 * now; the enrichment worker, the importer and the pollers join here.
 */
import { log } from './log';
import type { Runtime } from './runtime';
import { startImporter } from './imports/importer';
import { startEnrichmentServices } from './enrichment/enrichment-services';
import { startRefreshScheduler } from './history/refresh-scheduler';
import { backfillSongwriters } from './songwriters/backfill-songwriters';

export interface Services {
  stop(): Promise<void>;
}

export async function startServices(runtime: Runtime): Promise<Services> {
  const retentionMs = runtime.config.OUTBOX_RETENTION_HOURS * 3_600_000;
  const trim = async () => {
    try {
      await runtime.log.trim(new Date(Date.now() - retentionMs));
    } catch (error) {
      log.warn({ err: error }, 'outbox trim failed');
    }
  };
  const trimTimer = setInterval(trim, Math.min(retentionMs, 3_600_000));
  trimTimer.unref();
  // Imports a crash or restart left running continue from their last committed row.
  const importer = await startImporter(runtime);
  const enrichment = startEnrichmentServices(runtime, { worker: runtime.config.WORKER_IN_SERVER, pollers: true });
  // Beside the pollers, in every web process and not in `npm run worker` ones: it only writes
  // queue rows (the fetch loops of whichever process runs the worker do the fetching), a cluster
  // always has a web process, and however many run it, its advisory lock lets one enqueue at a
  // time and a playlist never gets a second active refresh job (history/refresh-scheduler.ts).
  const refreshScheduler = startRefreshScheduler(runtime);
  // In the background: the app answers meanwhile.
  void backfillSongwriters(runtime).catch((error) => log.warn({ err: error }, 'songwriter backfill failed'));
  return {
    async stop() {
      clearInterval(trimTimer);
      await refreshScheduler?.stop();
      await importer.stop();
      await enrichment.stop();
    },
  };
}
