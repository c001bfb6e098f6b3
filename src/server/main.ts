/**
 * Starts Linernotes: the runtime (database, bus, worker), the Next.js app and the API on one port.
 * `npm run dev` (development) and `npm start` (production, after `npm run build`) run this.
 */
import { loadConfig } from './config';
import { startAppServer, type NextApp } from './http/app-server';
import { log } from './log';
import { startRuntime } from './runtime';
import { startServices } from './services';

export async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.env.NODE_ENV !== 'production';
  const runtime = await startRuntime(config);
  const services = await startServices(runtime);
  const nextApp = process.env.LINERNOTES_NO_NEXT === '1' ? null : await startNext(dev, config.HOST, config.PORT);
  const app = await startAppServer({ runtime, port: config.PORT, host: config.HOST, next: nextApp });
  log.info(
    { url: app.url, database: runtime.dbKind, dataDir: runtime.dbKind === 'pglite' ? config.DATA_DIR : undefined, dev },
    `Linernotes is running at ${app.url}`,
  );
  // Tests and scripts read this line to find an ephemeral port.
  if (process.env.LINERNOTES_PRINT_URL === '1') process.stdout.write(`LINERNOTES_URL=${app.url}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await services.stop();
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function startNext(dev: boolean, hostname: string, port: number): Promise<NextApp> {
  const { default: next } = await import('next');
  const app = next({ dev, hostname, port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = dev ? app.getUpgradeHandler() : undefined;
  return {
    handle: (req, res) => handle(req, res),
    upgrade: upgrade ? (req, socket, head) => void upgrade(req, socket, head) : undefined,
    close: () => app.close(),
  };
}
