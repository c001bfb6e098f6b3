/**
 * What the access tests share: a real server on a fresh runtime, accounts acting in a chosen
 * workspace with a chosen role, raw HTTP and WebSocket probes speaking tRPC's wire formats, and
 * stock tRPC clients authenticated by a session cookie (browsers send it; Node clients must be
 * told to).
 */
import { createTRPCClient, createWSClient, httpBatchLink, httpSubscriptionLink, splitLink, wsLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { appRouter, type AppRouter } from '~/server/api/root';
import type { AppServer } from '~/server/http/app-server';
import type { WorkspaceRole } from '~/server/auth/roles';
import { members } from '~/server/db/schema';
import { and, eq } from 'drizzle-orm';
import type { Runtime } from '~/server/runtime';
import { addMember, createAccount, type Account } from '../support/accounts';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startTestServer } from '../support/server';
import { waitFor } from '../support/iterate';

/** Demo catalog without latency or failures, a quick worker; access re-checked every 500 ms (testEnv). */
export const fastEnv = {
  DEMO_LATENCY_MS: '0',
  DEMO_FAILURE_RATE: '0',
  WORKER_POLL_MS: '50',
  ENRICH_BATCH_SIZE: '20',
  JOB_BACKOFF_BASE_MS: '30',
  JOB_BACKOFF_MAX_MS: '200',
  PROVIDER_RETRY_BASE_MS: '5',
};

export const demoId = (n: number) => `DemoPlaylist${String(n).padStart(10, '0')}`;

/** Cleanups run after each test, last registered first. */
export function cleanupList() {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  return {
    add(cleanup: () => Promise<unknown> | unknown) {
      cleanups.push(cleanup);
    },
    async run() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch {
          // a cleanup that fails must not hide the test's own result, nor skip the others
        }
      }
    },
  };
}

export async function serverWorld(cleanups: ReturnType<typeof cleanupList>, env: Record<string, string> = {}) {
  const runtime = await createTestRuntime({ env: { ...fastEnv, ...env } });
  cleanups.add(() => runtime.dispose());
  const server = await startTestServer(runtime);
  cleanups.add(() => server.close());
  return { runtime, server };
}

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** Every procedure of the router, by path, with its type. */
export function procedures(): { path: string; type: ProcedureType }[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
  }));
}

export interface Member extends Account {
  /** The members row of this account in the workspace it was put in. */
  memberId: string;
}

/**
 * A new account that is `role` in `workspaceId`, its session acting for that workspace (as after
 * accepting an invitation and switching to it). Its own sign-up workspace stays as well.
 */
export async function accountIn(runtime: Runtime, workspaceId: string, role: WorkspaceRole, name?: string): Promise<Member> {
  const account = await createAccount(runtime, { name });
  if (account.workspaceId !== workspaceId) {
    await addMember(runtime, workspaceId, account.userId, role);
    await runtime.auth.api.setActiveOrganization({ body: { organizationId: workspaceId }, headers: new Headers({ cookie: account.cookie }) });
  }
  const [row] = await runtime.db
    .select({ id: members.id, role: members.role })
    .from(members)
    .where(and(eq(members.organizationId, workspaceId), eq(members.userId, account.userId)));
  if (!row) throw new Error('the account is not a member of the workspace');
  if (row.role !== role) await runtime.db.update(members).set({ role }).where(eq(members.id, row.id));
  return { ...account, workspaceId, memberId: row.id };
}

// ----- raw HTTP -----------------------------------------------------------------------------

export interface TrpcErrorBody {
  error?: { message: string; code?: number; data?: { code?: string; httpStatus?: number } };
  result?: { data: unknown };
}

export async function trpcHttp(
  server: { url: string },
  path: string,
  type: ProcedureType,
  opts: { input?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: TrpcErrorBody; text: string; contentType: string | null }> {
  const url = new URL(`${server.url}/api/trpc/${path}`);
  let init: RequestInit;
  if (type === 'mutation') {
    init = { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify(opts.input ?? {}) };
  } else {
    if (opts.input !== undefined) url.searchParams.set('input', JSON.stringify(opts.input));
    init = { method: 'GET', headers: { ...(type === 'subscription' ? { accept: 'text/event-stream' } : {}), ...opts.headers } };
  }
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  const contentType = response.headers.get('content-type');
  let text: string;
  if (contentType?.startsWith('text/event-stream')) {
    // An SSE stream that was let through: read its first message only, then hang up.
    const reader = response.body!.getReader();
    const chunk = await reader.read();
    text = new TextDecoder().decode(chunk.value);
    controller.abort();
  } else {
    text = await response.text();
  }
  let body: TrpcErrorBody = {};
  try {
    body = JSON.parse(text) as TrpcErrorBody;
  } catch {
    // not JSON (an event stream): leave body empty
  }
  return { status: response.status, body, text, contentType };
}

// ----- raw WebSocket ------------------------------------------------------------------------

export interface WsFrame {
  id?: number | string | null;
  method?: string;
  result?: { type: 'started' | 'stopped' | 'data'; id?: string; data?: unknown };
  error?: { message: string; code?: number; data?: { code?: string; httpStatus?: number } };
}

export function wsUrl(server: { url: string }, query = '') {
  return `${server.url.replace(/^http/, 'ws')}/api/trpc${query}`;
}

/** Opens a raw socket; resolves with `{ status }` when the upgrade is refused, else with the open socket. */
export function openRawSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ refused: true; status: number; body: string } | { refused: false; socket: RawSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ refused: true, status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ refused: true, status: res.statusCode ?? 0, body }));
    });
    socket.once('open', () => resolve({ refused: false, socket: new RawSocket(socket) }));
    socket.once('error', (error) => {
      if (socket.readyState !== WebSocket.OPEN) reject(error);
    });
  });
}

/** A socket speaking tRPC's WebSocket protocol by hand: send frames, read every frame back. */
export class RawSocket {
  readonly frames: WsFrame[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      if (text !== 'PONG' && text !== 'PING') this.frames.push(JSON.parse(text) as WsFrame);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
    socket.on('error', () => {});
  }

  send(message: unknown) {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  subscribe(id: number, path: string, input: unknown = {}) {
    this.send({ id, method: 'subscription', params: { path, input } });
  }

  query(id: number, path: string, input?: unknown) {
    this.send({ id, method: 'query', params: { path, input } });
  }

  framesFor(id: number) {
    return this.frames.filter((frame) => frame.id === id);
  }

  errorFor(id: number | null) {
    return this.frames.find((frame) => frame.error && (frame.id ?? null) === id)?.error;
  }

  close() {
    this.socket.terminate();
  }
}

// ----- stock tRPC clients with a session cookie ---------------------------------------------

/** The stock tRPC client as a browser page would use it (its cookie, its origin), in Node. */
export function cookieClient(server: { url: string }, cookie: string, transport: 'ws' | 'sse', origin = server.url) {
  const trpcUrl = `${server.url}/api/trpc`;
  const headers = { cookie };
  const http = httpBatchLink<AppRouter>({ url: trpcUrl, headers });
  if (transport === 'sse') {
    const client = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink<AppRouter, typeof globalThis.EventSource>({
            url: trpcUrl,
            EventSource: EventSource as unknown as typeof globalThis.EventSource,
            eventSourceOptions: (() => ({
              fetch: (input: string | URL, init?: RequestInit) =>
                fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin } }),
            })) as never,
          }),
          false: http,
        }),
      ],
    });
    return { client, close: () => {} };
  }
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin } });
    }
  }
  const wsClient = createWSClient({
    url: trpcUrl.replace(/^http/, 'ws'),
    WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => 1000,
  });
  const client = createTRPCClient<AppRouter>({
    links: [splitLink({ condition: (op) => op.type === 'subscription', true: wsLink<AppRouter>({ client: wsClient }), false: http })],
  });
  return { client, close: () => wsClient.close() };
}

/** What a subscription through a stock client received: tracked messages, and how it ended. */
export function recorder() {
  const received: { id: string | undefined; data: unknown }[] = [];
  let error: { message: string; data?: { code?: string } | null } | null = null;
  let errorAt: number | null = null;
  return {
    received,
    get error() {
      return error;
    },
    get errorAt() {
      return errorAt;
    },
    handlers: {
      onData: (tracked: unknown) => {
        const value = tracked as { id?: string; data?: unknown };
        received.push(value && typeof value === 'object' && 'data' in value ? { id: value.id, data: value.data } : { id: undefined, data: value });
      },
      onError: (cause: unknown) => {
        error = cause as { message: string; data?: { code?: string } | null };
        errorAt = Date.now();
      },
    },
  };
}

export async function waitForSnapshot(rec: { received: { data: unknown }[] }, what = 'the snapshot') {
  await waitFor(() => rec.received.some((r) => (r.data as { kind?: string }).kind === 'snapshot'), { what, timeoutMs: 10_000 });
}

export type { TestRuntime };

/** The stored id of an API key (what apiKeys.revoke takes). */
export async function keyId(runtime: Runtime, key: string): Promise<string> {
  const result = await runtime.auth.api.verifyApiKey({ body: { key } });
  if (!result.valid || !result.key) throw new Error('not a valid key');
  return result.key.id;
}

/**
 * Makes `runtime` the one the Next route handlers' getRuntime() returns, as server.ts's
 * startRuntime does (it keeps the process's runtime on globalThis under this key); undo with
 * forgetRuntime() from ~/server/runtime.
 */
export function serveRouteHandlersFrom(runtime: Runtime): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for('linernotes.runtime')] = Promise.resolve(runtime);
}
