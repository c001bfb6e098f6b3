/**
 * A typed client for scripts and tests (Node): `createScriptClient({ baseUrl, apiKey, transport })`.
 * An API key (made by an admin on the API keys page) acts for its workspace with its role.
 */
import { createTRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import type { AppRouter } from '~/server/api/root';
import { createLinks, type ConnectionState, type Transport } from './links';

export function createScriptClient(opts: { baseUrl: string; apiKey?: string; transport?: Transport; onState?: (state: ConnectionState) => void }) {
  const { links, close } = createLinks({
    baseUrl: opts.baseUrl,
    transport: opts.transport ?? 'ws',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    EventSource: EventSource as unknown as typeof globalThis.EventSource,
    onState: opts.onState,
    apiKey: opts.apiKey,
  });
  const client = createTRPCClient<AppRouter>({ links });
  return { client, close };
}
