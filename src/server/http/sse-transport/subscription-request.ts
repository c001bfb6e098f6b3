/**
 * What an `httpSubscriptionLink` GET asks for: `<basePath><procedure path>?input=<JSON>`, and on
 * an EventSource reconnect a `Last-Event-ID` header carrying the last tracked id it received.
 * Read the way tRPC's HTTP adapter reads it, so the procedure sees the same raw input.
 */
import type { IncomingMessage } from 'node:http';
import { TRPCError, type AnyRouter } from '@trpc/server';

export interface SubscriptionRequest {
  path: string;
  url: URL;
  /** The raw input as the procedure's input parser will see it (lastEventId merged in). */
  rawInput(): unknown;
  /** The input as sent, for error shapes and onError, once it has been read. */
  inputForErrors(): unknown;
  /** connectionParams from the query string, as tRPC passes them to createContext. */
  connectionParams: string | null;
}

/**
 * The subscription a GET asks for, or null when the request is not a (non-batched) subscription
 * GET under `basePath` - those go to tRPC's own handler, which answers them as it always has.
 * Only procedures already on the router are found (a lazy router's unloaded procedures are not).
 */
export function subscriptionRequestOf(router: AnyRouter, basePath: string, req: IncomingMessage): SubscriptionRequest | null {
  if (req.method !== 'GET' || !req.url?.startsWith(basePath)) return null;
  const url = new URL(req.url, 'http://localhost');
  if (url.searchParams.get('batch') === '1') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(basePath.length));
  } catch {
    return null;
  }
  const procedure = (router._def.procedures as Record<string, { _def: { type: string } } | undefined>)[path];
  if (procedure?._def.type !== 'subscription') return null;

  const transformer = router._def._config.transformer;
  let parsed = false;
  let input: unknown;
  const readInput = () => {
    if (parsed) return input;
    const text = url.searchParams.get('input');
    if (text) {
      try {
        input = transformer.input.deserialize(JSON.parse(text));
      } catch (cause) {
        // A BAD_REQUEST either way (tRPC's adapter too); this one says which part is broken
        // rather than quoting the JSON parser.
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'The `input` query parameter is not valid JSON.', cause });
      }
    }
    parsed = true;
    return input;
  };
  return {
    path,
    url,
    connectionParams: url.searchParams.get('connectionParams'),
    inputForErrors: () => (parsed ? input : undefined),
    rawInput() {
      let value = readInput();
      // The header wins over the query: EventSource resends the URL it was opened with (holding
      // the id of the first connect) but the header with the last id it actually received.
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) || url.searchParams.get('lastEventId') || url.searchParams.get('Last-Event-Id');
      if (lastEventId) {
        if (isObject(value)) value = { ...value, lastEventId };
        else value ??= { lastEventId };
      }
      return value;
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && !Array.isArray(value) && typeof value === 'object';
}
