/**
 * The operator's endpoints: `/healthz` (the process answers), `/readyz` (the database answers and
 * the bus is listening: send traffic here), `/metrics` (Prometheus text; with METRICS_TOKEN set it
 * needs `Authorization: Bearer <token>`, without it only loopback may read it), and the older
 * `/api/health` summary.
 */
import type http from 'node:http';
import { sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import { PostgresBus } from '../events/bus-postgres';
import { flowStats } from '../events/flow-control';
import type { Runtime } from '../runtime';

export const opsPaths = new Set(['/healthz', '/readyz', '/metrics', '/api/health']);

export async function serveOps(runtime: Runtime, registry: Registry, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  if (path === '/healthz') return json(res, 200, { ok: true });
  if (path === '/readyz') return json(res, ...(await readiness(runtime)));
  if (path === '/api/health') {
    return json(res, 200, { ok: true, database: runtime.dbKind, epoch: runtime.log.epoch, subscribers: runtime.hub.size(), flow: flowStats });
  }
  const token = runtime.config.METRICS_TOKEN;
  if (token ? req.headers.authorization !== `Bearer ${token}` : !isLoopback(req.socket.remoteAddress)) {
    return json(res, token ? 401 : 403, { error: { message: token ? 'Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.' : 'Metrics are served to loopback only; set METRICS_TOKEN to read them from elsewhere.' } });
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
}

async function readiness(runtime: Runtime): Promise<[number, object]> {
  const checks = { database: false, bus: false };
  try {
    await runtime.db.execute(sql`select 1`);
    checks.database = true;
  } catch {
    // not ready: reported below
  }
  checks.bus = runtime.bus instanceof PostgresBus ? runtime.bus.isListening() : true;
  const ready = checks.database && checks.bus;
  return [ready ? 200 : 503, { ready, ...checks }];
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function json(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
