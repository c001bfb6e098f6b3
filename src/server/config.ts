/** Every setting the server reads from its environment, parsed once, with its default. */
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  // Sign-in and workspaces (issue 9).
  /** Signs session cookies and tokens. Required in production; in development one is generated once and kept in DATA_DIR/auth-secret. */
  BETTER_AUTH_SECRET: z.string().min(32, 'BETTER_AUTH_SECRET must be at least 32 characters').optional(),
  /** The app's public URL (https://linernotes.example.com); unset, each request's own origin is used. */
  BETTER_AUTH_URL: z.url().optional(),
  /** Other origins (comma-separated) whose pages may call the API with the user's cookie. */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean)),
  /** Better Auth's built-in rate limit (per client address and path). */
  AUTH_RATE_LIMIT: z.stringbool().default(true),
  AUTH_SIGN_IN_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** How often open connections re-check that their session, membership, role or key still holds. */
  ACCESS_RECHECK_MS: z.coerce.number().int().positive().default(2_000),
  /** Who may open the ops page (comma-separated emails); unset, the database's first account. */
  OPERATOR_EMAILS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((email) => email.trim().toLowerCase()).filter(Boolean)),
  /** Needed as `Authorization: Bearer` to read /metrics; unset, /metrics answers loopback only. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Keep durable events this many hours for resume; older ids get a resync. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().positive().default(72),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().positive().default(1 << 20),
  /** Open WebSockets plus SSE responses one client address may hold, and the process in all. */
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(500),
  MAX_CONNECTIONS: z.coerce.number().int().positive().default(20_000),
  /** WebSocket handler: ours (one serialization per event for all subscribers) or tRPC's stock one; same wire protocol. */
  WS_TRANSPORT: z.enum(['linernotes', 'trpc']).default('linernotes'),
  /** SSE subscription handler: ours (writes to the response, one serialization per event) or tRPC's stock one; same wire protocol. */
  SSE_TRANSPORT: z.enum(['linernotes', 'trpc']).default('linernotes'),
  // CSV import (issue 4). The defaults fit 100,000 rows of URL, name and a few tags.
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(32 << 20),
  IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(100_000),
  /** One record longer than this is a broken file (a stray quote swallowing the rest), not a playlist. */
  IMPORT_MAX_RECORD_BYTES: z.coerce.number().int().positive().default(64 << 10),
  /** Imports running at once per workspace, reading rows or waiting for their fetches; the rest wait queued. */
  IMPORT_CONCURRENCY_PER_WORKSPACE: z.coerce.number().int().min(1).max(16).default(2),
  /** Rows whose outcomes (and new playlists) commit in one transaction: a resume redoes at most this many. */
  IMPORT_COMMIT_EVERY_ROWS: z.coerce.number().int().min(1).max(2000).default(500),
  IMPORT_PROGRESS_INTERVAL_MS: z.coerce.number().int().nonnegative().default(100),
  /**
   * An import's reader holds a lease this long, renewed at every committed chunk (and every third of
   * it meanwhile); any instance takes over an import whose lease lapsed, checking every
   * IMPORT_SWEEP_INTERVAL_MS. A killed instance's import resumes within lease + sweep (12 s by default).
   */
  IMPORT_LEASE_MS: z.coerce.number().int().positive().default(10_000),
  IMPORT_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(2_000),
  // Fetching imported playlists (issue 11): fetch jobs (phase 0) on the job queue, run by the worker beside enrichment.
  /** Playlist fetches a worker process has in flight at once (0: this worker fetches nothing). */
  FETCH_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(16),
  /** Fetch jobs one claim takes and one transaction stores: bounds how long a batch holds the database. */
  FETCH_BATCH_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Playlist fetches per second per catalog provider, shared by every fetch in the process (Spotify's own client limit applies too). */
  FETCH_REQUESTS_PER_SECOND: z.coerce.number().positive().default(1000),
  // Real provider clients (issue 3 item 5): each switches on when its credentials are set; URLs are overridable for tests.
  SPOTIFY_CLIENT_ID: z.string().min(1).optional(),
  SPOTIFY_CLIENT_SECRET: z.string().min(1).optional(),
  SPOTIFY_API_URL: z.url().default('https://api.spotify.com'),
  SPOTIFY_ACCOUNTS_URL: z.url().default('https://accounts.spotify.com'),
  SPOTIFY_REQUESTS_PER_SECOND: z.coerce.number().positive().default(3),
  MUSICBRAINZ_ENABLED: z.stringbool().default(false),
  /** MusicBrainz asks for "Application/version ( contact )"; setting it also switches the client on. */
  MUSICBRAINZ_USER_AGENT: z.string().min(1).optional(),
  MUSICBRAINZ_URL: z.url().default('https://musicbrainz.org'),
  CHARTMETRIC_REFRESH_TOKEN: z.string().min(1).optional(),
  CHARTMETRIC_API_URL: z.url().default('https://api.chartmetric.com'),
  CHARTMETRIC_REQUESTS_PER_SECOND: z.coerce.number().positive().default(1),
  /** The MLC public API account (portal.themlc.com); both set switch the rights phase from the demo registry to The MLC. */
  MLC_USERNAME: z.string().min(1).optional(),
  MLC_PASSWORD: z.string().min(1).optional(),
  MLC_BASE_URL: z.url().default('https://public-api.themlc.com'),
  /** The MLC publishes no rate limit: a modest default (its 429s are honoured either way). */
  MLC_REQUESTS_PER_SECOND: z.coerce.number().positive().default(2),
  PROVIDER_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PROVIDER_HTTP_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** A 429 asking us to wait longer than this fails the call (RATE_LIMITED) so the job queue reschedules it. */
  PROVIDER_MAX_RATE_LIMIT_WAIT_MS: z.coerce.number().int().positive().default(60_000),
  // Enrichment pipeline (issue 3): demo providers, job queue, worker, pollers. 0 ms turns a timer off.
  DEMO_LATENCY_MS: z.coerce.number().int().nonnegative().default(120),
  DEMO_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.02),
  /** Demo playlists added on a new database's first start (demo catalog only), so a newcomer sees enrichment at once. */
  DEMO_SEED_PLAYLISTS: z.coerce.number().int().min(0).max(20).default(3),
  /** Run the enrichment worker inside the server process (off when `npm run worker` processes do the work). */
  WORKER_IN_SERVER: z.stringbool().default(true),
  /** Enrichment jobs a worker runs at once (0: it only fetches imported playlists). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(32).default(2),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(1000),
  /**
   * A worker renews its job's lease every third of JOB_LEASE_MS; the sweeper re-queues a job whose
   * lease lapsed, checking every JOB_SWEEP_INTERVAL_MS, and a woken worker claims it at once: a
   * killed worker's job runs again within lease + sweep (8 s by default).
   */
  JOB_LEASE_MS: z.coerce.number().int().positive().default(6_000),
  JOB_SWEEP_INTERVAL_MS: z.coerce.number().int().nonnegative().default(2_000),
  /** Enrichment jobs of one workspace running at once across every worker of the cluster (counted in the database). */
  JOB_CONCURRENCY_PER_WORKSPACE: z.coerce.number().int().min(1).max(64).default(4),
  /** A track enriched this recently is not enriched again because another playlist holds it (a person's re-enrich still does). */
  TRACK_FRESHNESS_MS: z.coerce.number().int().nonnegative().default(86_400_000),
  /** A process that has not beaten its heartbeat for this long is gone: it no longer takes a share of cluster-wide rate limits. */
  CLUSTER_HEARTBEAT_MS: z.coerce.number().int().positive().default(2_000),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  JOB_BACKOFF_BASE_MS: z.coerce.number().int().nonnegative().default(5_000),
  JOB_BACKOFF_MAX_MS: z.coerce.number().int().nonnegative().default(300_000),
  ENRICH_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  PROVIDER_CALL_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  PROVIDER_RETRY_BASE_MS: z.coerce.number().int().nonnegative().default(500),
  FOLLOWER_POLL_MS: z.coerce.number().int().nonnegative().default(600_000),
  ANALYTICS_REFRESH_MS: z.coerce.number().int().nonnegative().default(60_000),
  // Weekly history (issue 14): fetched playlists are fetched again on a schedule and their membership changes recorded.
  /**
   * A fetched playlist whose last fetch is older than this gets a refresh job (bulk priority, on the
   * job board); checked every tenth of it, at most every minute. 0: no scheduled refreshes (refresh by hand only).
   */
  PLAYLIST_REFRESH_INTERVAL_MS: z.coerce.number().int().nonnegative().default(604_800_000),
  /**
   * How often the demo catalog changes a playlist's tracks (1-3 dropped and as many added per period),
   * so the weekly history has something to show offline; unset, PLAYLIST_REFRESH_INTERVAL_MS; 0: never.
   */
  DEMO_CHURN_MS: z.coerce.number().int().nonnegative().optional(),
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}
