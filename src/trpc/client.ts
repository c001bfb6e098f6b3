/**
 * A typed client for scripts and tests (Node): `createScriptClient({ baseUrl, transport })`.
 */
import { createTRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import type { AppRouter } from '~/server/api/root';
import { createLinks, type ConnectionState, type Transport } from './links';

export function createScriptClient(opts: { baseUrl: string; transport?: Transport; onState?: (state: ConnectionState) => void }) {
  const { links, close } = createLinks({
    baseUrl: opts.baseUrl,
    transport: opts.transport ?? 'ws',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    EventSource: EventSource as unknown as typeof globalThis.EventSource,
    onState: opts.onState,
  });
  const client = createTRPCClient<AppRouter>({ links });
  return { client, close };
}
