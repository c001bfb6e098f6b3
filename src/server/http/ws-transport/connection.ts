/**
 * One WebSocket connection speaking tRPC v11's protocol: the context (after connectionParams when
 * the URL asks for them), queries and mutations, subscriptions with started/data/stopped, stop,
 * errors per operation (the socket stays open), keep-alive, and the per-connection caps.
 */
import type { IncomingMessage } from 'node:http';
import { TRPCError, type AnyRouter } from '@trpc/server';
import {
  callProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isTrackedEnvelope,
  parseConnectionParamsFromUnknown,
  parseTRPCMessage,
  type TRPCClientOutgoingMessage,
} from '@trpc/server/unstable-core-do-not-import';
import type { RawData, WebSocket } from 'ws';
import { dataFrame, errorFrame, framePrefix, resultFrame, startedFrame, stoppedFrame, trackedDataFrame, type RequestId } from './frames';
import { InboundRate } from './inbound-rate';
import { keepAlive } from './keep-alive';
import type { WSTransportOptions } from './ws-transport';

type ProcedureType = 'query' | 'mutation' | 'subscription';

interface OpenSubscription {
  abort: AbortController;
  prefix: Buffer;
}

export function serveConnection<TRouter extends AnyRouter>(opts: WSTransportOptions<TRouter>, socket: WebSocket, req: IncomingMessage): void {
  const { router } = opts;
  const config = router._def._config;
  const subscriptions = new Map<RequestId, OpenSubscription>();
  const connection = new AbortController();
  const inbound = new InboundRate(opts.limits.maxInboundMessagesPerSecond);
  const alive = opts.keepAlive?.enabled ? keepAlive(socket, opts.keepAlive.pingMs, opts.keepAlive.pongWaitMs) : null;
  let ctx: unknown;

  const send = (frame: Buffer) => {
    if (socket.readyState === socket.OPEN) socket.send(frame, { binary: false });
  };

  const respondError = (target: { id: RequestId; jsonrpc?: '2.0' }, cause: unknown, type: ProcedureType | 'unknown', path?: string, input?: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError?.({ error, path, type, ctx, req, input });
    send(errorFrame(framePrefix(target), getErrorShape({ config, error, type, path, input, ctx })));
  };

  const createContextFor = async (connectionParams: () => Record<string, string | undefined> | null): Promise<boolean> => {
    try {
      ctx = await opts.createContext({
        req,
        res: socket,
        info: { connectionParams: connectionParams(), calls: [], isBatchCall: false, accept: null, type: 'unknown', signal: connection.signal, url: null },
      });
      return true;
    } catch (cause) {
      respondError({ id: null }, cause, 'unknown');
      setImmediate(() => socket.close());
      return false;
    }
  };

  const wantsConnectionParams = new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
  let ready: Promise<boolean> | null = wantsConnectionParams ? null : createContextFor(() => null);

  const handle = async (msg: TRPCClientOutgoingMessage) => {
    const { id, jsonrpc } = msg;
    const target = { id, jsonrpc };
    if (id === null) return respondError(target, new TRPCError({ code: 'PARSE_ERROR', message: '`id` is required' }), 'unknown');
    if (msg.method === 'subscription.stop') return stop(id);
    const type = msg.method as ProcedureType;
    const { path, lastEventId } = msg.params;
    let input = msg.params.input;
    if (lastEventId !== undefined) input = isPlainObject(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
    try {
      if (!inbound.admit()) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `This connection sent more than ${opts.limits.maxInboundMessagesPerSecond} requests in one second; wait a second and retry.`,
        });
      }
      if (type === 'subscription') {
        if (subscriptions.has(id)) throw new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` });
        if (subscriptions.size >= opts.limits.maxSubscriptionsPerConnection) {
          throw new TRPCError({
            code: 'TOO_MANY_REQUESTS',
            message: `This connection already has ${subscriptions.size} open subscriptions (the limit); stop one before starting another.`,
          });
        }
      }
      if (!(await ready)) return;
      const abort = new AbortController();
      // Reserve the slot before the procedure runs, so concurrent subscribes count against the cap.
      const prefix = framePrefix(target);
      if (type === 'subscription') subscriptions.set(id, { abort, prefix });
      let result: unknown;
      try {
        result = await callProcedure({ router, path, getRawInput: async () => input, ctx, type, signal: abort.signal, batchIndex: 0 });
      } catch (error) {
        if (type === 'subscription') subscriptions.delete(id);
        throw error;
      }
      if (type !== 'subscription') {
        if (isAsyncIterable(result)) {
          throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `Cannot return an async iterable from a ${type} procedure with WebSockets` });
        }
        send(resultFrame(prefix, { type: 'data', data: result }));
        return;
      }
      if (!isAsyncIterable(result)) {
        subscriptions.delete(id);
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Subscription ${path} did not return an AsyncGenerator` });
      }
      if (abort.signal.aborted) return; // stopped (or the socket closed) while the procedure started
      send(startedFrame(prefix));
      void pump(id, prefix, abort, result as AsyncIterable<unknown>, path, input);
    } catch (cause) {
      respondError(target, cause, type, path, input);
    }
  };

  /** Sends what one subscription yields until it ends, fails or is stopped. */
  const pump = async (id: RequestId, prefix: Buffer, abort: AbortController, iterable: AsyncIterable<unknown>, path: string, input: unknown) => {
    const iterator = iterable[Symbol.asyncIterator]();
    let stopped = abort.signal.aborted; // a flag: `signal.aborted` per message costs measurably
    abort.signal.addEventListener('abort', () => (stopped = true), { once: true });
    try {
      for (;;) {
        const next = await iterator.next();
        if (stopped) return;
        if (next.done) break;
        const value = next.value;
        if (isTrackedEnvelope(value)) send(trackedDataFrame(prefix, value[0], value[1]));
        else send(dataFrame(prefix, value));
      }
      subscriptions.delete(id);
      send(stoppedFrame(prefix));
    } catch (cause) {
      if (abort.signal.aborted) return;
      subscriptions.delete(id);
      respondError({ id, jsonrpc: undefined }, cause, 'subscription', path, input);
      abort.abort();
    } finally {
      if (abort.signal.aborted) void iterator.return?.(undefined)?.catch(() => {});
    }
  };

  /** A client's stop: answered at once; the procedure sees its signal abort and unwinds. */
  const stop = (id: RequestId) => {
    const subscription = subscriptions.get(id);
    if (!subscription) return;
    subscriptions.delete(id);
    subscription.abort.abort();
    send(stoppedFrame(subscription.prefix));
  };

  socket.on('message', (raw: RawData, isBinary: boolean) => {
    alive?.onMessage();
    if (!isBinary && !Array.isArray(raw)) {
      const text = raw.toString();
      if (text === 'PONG') return;
      if (text === 'PING') return void socket.send('PONG');
      return receive(text);
    }
    respondError({ id: null }, new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: 'Unexpected WebSocket message format: send JSON text frames.' }), 'unknown');
  });

  const receive = (text: string) => {
    if (!ready) {
      ready = createContextFor(() => parseConnectionParams(text));
      return;
    }
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = JSON.parse(text);
      messages = (Array.isArray(json) ? json : [json]).map((raw) => parseTRPCMessage(raw, config.transformer) as TRPCClientOutgoingMessage);
    } catch (cause) {
      return respondError({ id: null }, new TRPCError({ code: 'PARSE_ERROR', message: 'That message is not a tRPC request.', cause }), 'unknown');
    }
    for (const msg of messages) void handle(msg);
  };

  socket.on('error', (cause) => opts.onError?.({ error: getTRPCErrorFromUnknown(cause), path: undefined, type: 'unknown', ctx, req, input: undefined }));
  socket.once('close', () => {
    alive?.stop();
    for (const subscription of subscriptions.values()) subscription.abort.abort();
    subscriptions.clear();
    connection.abort();
  });
}

function parseConnectionParams(text: string): Record<string, string | undefined> | null {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (cause) {
    throw new TRPCError({ code: 'PARSE_ERROR', message: 'Malformed TRPCConnectionParamsMessage', cause });
  }
  if (!isPlainObject(msg)) throw new TRPCError({ code: 'PARSE_ERROR', message: 'Malformed TRPCConnectionParamsMessage' });
  return parseConnectionParamsFromUnknown(msg.data);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
