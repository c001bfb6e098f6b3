/**
 * The cluster's figures, on Postgres (DATABASE_URL or TEST_DATABASE_URL names the server; a new
 * database is made and dropped): two web instances (WORKER_IN_SERVER=false) and two workers, each
 * a real process, as tests/cluster runs them.
 *
 * - Emit-to-receive across instances for a short mutation: `activity.note` sent to instance A,
 *   its event received by a subscriber on instance B (from the call to the event), and from the
 *   mutation's acknowledgement to the event.
 * - Emit-to-receive for worker events: a worker's `batch_complete`, from its envelope's `at` (the
 *   writing transaction's time) to its arrival at a subscriber on a web instance.
 * - Takeover after a kill (SIGKILL), BENCH_KILLS times each (default 10): a worker killed while
 *   it runs a job, until the other worker holds the job; a web instance killed while it reads an
 *   import, until the other instance holds the import. The killed process is replaced before the
 *   next round.
 *
 * BENCH_KILLS=0 measures the latencies only (the result file then keeps no takeover figures).
 *
 * Writes bench/results/cluster.json. The settings are the defaults (JOB_LEASE_MS, IMPORT_LEASE_MS,
 * their sweep intervals), which is what the takeover figures are about.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { enrichmentJobs, imports } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { createScriptClient } from '~/trpc/client';
import { pidOfOwner, startCluster, type Cluster } from '../../tests/support/cluster';
import { apiKeyOverHttp, signUpOverHttp } from '../../tests/support/http-accounts';
import { eventsOf, waitFor } from '../../tests/support/iterate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const kills = Number(process.env.BENCH_KILLS ?? 10);
const notes = Number(process.env.BENCH_NOTES ?? 300);

type Client = ReturnType<typeof createScriptClient>['client'];
const closers: (() => void)[] = [];

function percentiles(values: number[]) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
  return { n: sorted.length, p50: at(50), p99: at(99), max: at(100) };
}

function clientOn(url: string, apiKey: string): Client {
  const { client, close } = createScriptClient({ baseUrl: url, transport: 'ws', apiKey });
  closers.push(close);
  return client;
}

/** Notes sent to one instance, received through a subscription on the other, one at a time. */
async function mutationLatency(a: Client, b: Client) {
  const arrivals = new Map<string, number>();
  const sub = b.activityFeed.subscribe(undefined, {
    onData: (tracked: unknown) => {
      const now = performance.now();
      for (const event of eventsOf((tracked as { data: never }).data)) {
        const message = (event.data as { message?: string }).message;
        if (message?.startsWith('bench-')) arrivals.set(message, now);
      }
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const fromCall: number[] = [];
  const fromAck: number[] = [];
  for (let i = 0; i < notes; i++) {
    const message = `bench-${i}`;
    const sent = performance.now();
    await a.activity.note.mutate({ message });
    const acked = performance.now();
    const arrived = await waitFor(() => arrivals.get(message), { what: message, timeoutMs: 10_000 });
    fromCall.push(arrived - sent);
    fromAck.push(Math.max(0, arrived - acked));
  }
  sub.unsubscribe();
  return { fromCall: percentiles(fromCall), fromAck: percentiles(fromAck) };
}

/** batch_complete events written by the workers, from their commit time to a subscriber on a web instance. */
async function workerEventLatency(a: Client, b: Client) {
  const latencies: number[] = [];
  const sub = b.jobStatus.subscribe(undefined, {
    onData: (tracked: unknown) => {
      const now = Date.now();
      for (const event of eventsOf((tracked as { data: never }).data) as Envelope[]) if (event.type === 'batch_complete') latencies.push(now - Date.parse(event.at));
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const added = await Promise.all([1, 2, 3, 4].map((n) => a.playlists.add.mutate({ url: demoPlaylistId(500 + n) })));
  for (const playlist of added) {
    await waitFor(async () => (await a.jobs.get.query({ id: playlist.jobId! })).status === 'completed', { what: 'a job to complete', timeoutMs: 120_000 });
  }
  sub.unsubscribe();
  return percentiles(latencies);
}

async function workerTakeovers(cluster: Cluster, a: Client) {
  const times: number[] = [];
  for (let round = 0; round < kills; round++) {
    const added = await a.playlists.add.mutate({ url: demoPlaylistId(1_000 + round) });
    const running = await waitFor(
      async () => {
        const [job] = await cluster.database.db.select().from(enrichmentJobs).where(eq(enrichmentJobs.id, added.jobId!));
        return job?.status === 'running' && job.leaseOwner ? job : null;
      },
      { what: 'the job to be claimed', timeoutMs: 60_000 },
    );
    const doomed = cluster.workers.find((worker) => worker.id === running.leaseOwner)!;
    await doomed.kill();
    const killedAt = performance.now();
    cluster.workers.splice(cluster.workers.indexOf(doomed), 1);
    await waitFor(
      async () => {
        const [job] = await cluster.database.db.select().from(enrichmentJobs).where(eq(enrichmentJobs.id, added.jobId!));
        return job?.status === 'running' && job.leaseOwner !== doomed.id;
      },
      { what: 'the other worker to hold the job', timeoutMs: 60_000 },
    );
    times.push(performance.now() - killedAt);
    console.log(`[bench:cluster] worker kill ${round + 1}: job held again after ${Math.round(times.at(-1)!)} ms`);
    await cluster.startWorker();
  }
  return percentiles(times);
}

async function importTakeovers(cluster: Cluster, apiKey: string) {
  const times: number[] = [];
  const lines = ['url,name'];
  for (let row = 1; row <= 20_000; row++) lines.push(row % 500 === 1 ? `${demoPlaylistId(2_000 + row)},new` : `bad row ${row},x`);
  for (let round = 0; round < kills; round++) {
    const starter = cluster.webs[round % cluster.webs.length]!;
    const { importId } = await clientOn(starter.url, apiKey).imports.start.mutate({ csv: lines.join('\n'), filename: `takeover-${round}.csv` });
    const read = async () => (await cluster.database.db.select().from(imports).where(eq(imports.id, importId)))[0]!;
    const holderPid = await waitFor(async () => {
      const row = await read();
      return row.processed >= 200 ? pidOfOwner(row.leaseOwner) : null;
    }, { what: 'the import to be read by an instance', timeoutMs: 60_000 });
    const holder = cluster.webs.find((web) => web.child.pid === holderPid)!;
    await holder.kill();
    const killedAt = performance.now();
    cluster.webs.splice(cluster.webs.indexOf(holder), 1);
    await waitFor(async () => {
      const owner = pidOfOwner((await read()).leaseOwner);
      return owner !== null && owner !== holderPid;
    }, { what: 'the other instance to hold the import', timeoutMs: 60_000 });
    times.push(performance.now() - killedAt);
    console.log(`[bench:cluster] web kill ${round + 1}: import held again after ${Math.round(times.at(-1)!)} ms`);
    await cluster.startWeb();
  }
  return percentiles(times);
}

async function main() {
  console.log(`[bench:cluster] two web instances and two workers on ${serverUrl.replace(/\/\/[^@]*@/, '//')}`);
  const cluster = await startCluster(serverUrl, {
    webs: 2,
    workers: 2,
    // A job long enough to be killed mid-run; imports read in small chunks so a kill lands mid-file.
    env: { DEMO_LATENCY_MS: '25', DEMO_FAILURE_RATE: '0', ENRICH_BATCH_SIZE: '2', IMPORT_COMMIT_EVERY_ROWS: '20', LOG_LEVEL: 'error' },
  });
  try {
    const [webA, webB] = cluster.webs;
    const { cookie } = await signUpOverHttp(webA!.url);
    const apiKey = await apiKeyOverHttp(webA!.url, cookie, 'admin');
    const a = clientOn(webA!.url, apiKey);
    const b = clientOn(webB!.url, apiKey);
    const mutation = await mutationLatency(a, b);
    console.log('[bench:cluster] activity.note on A -> event on B (ms)', mutation);
    const workerEvents = await workerEventLatency(a, b);
    console.log('[bench:cluster] batch_complete: commit -> subscriber on a web instance (ms)', workerEvents);
    const workerTakeover = await workerTakeovers(cluster, a);
    console.log('[bench:cluster] worker killed mid-job -> job held by the other (ms)', workerTakeover);
    const importTakeover = await importTakeovers(cluster, apiKey);
    console.log('[bench:cluster] web instance killed mid-import -> import held by the other (ms)', importTakeover);
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      settings: { JOB_LEASE_MS: 'default', IMPORT_LEASE_MS: 'default', kills, notes },
      crossInstanceMutationMs: mutation,
      workerEventMs: workerEvents,
      workerTakeoverMs: workerTakeover,
      importTakeoverMs: importTakeover,
    };
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench/results/cluster.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('[bench:cluster] wrote bench/results/cluster.json');
  } finally {
    for (const close of closers.splice(0)) close();
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
