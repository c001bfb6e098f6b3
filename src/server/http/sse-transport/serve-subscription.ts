/**
 * One SSE subscription, start to end: context, procedure call, `connected`, then the messages, pings
 * while idle, and `return` or `serialized-error` at the end. One of our event streams is delivered
 * to a sink on the response (sse-sink.ts: the same delivery path as every other subscriber); any
 * other procedure's values are iterated, each one write (waiting for `drain` when the socket is
 * full, as tRPC's adapter does). The client going away aborts the procedure's signal, which is what
 * unsubscribes it from the hub.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError, type AnyRouter } from '@trpc/server';
import { isObservable, observableToAsyncIterable } from '@trpc/server/observable';
import {
  callProcedure,
  defaultTransformer,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAbortError,
  isAsyncIterable,
  isTrackedEnvelope,
  parseConnectionParamsFromString,
} from '@trpc/server/unstable-core-do-not-import';
import { encodeStreamMessage } from '../../events/stream-message-json';
import { isEventStream, type EventStream } from '../../events/stream';
import { idlePing } from './idle-ping';
import {
  connectedMessage,
  dataMessage,
  PING_MESSAGE,
  RETURN_MESSAGE,
  serializedErrorMessage,
  SSE_HEADERS,
  trackedStreamMessage,
} from './sse-frames';
import { SSESink } from './sse-sink';
import type { SSETransportOptions } from './sse-transport';
import type { SubscriptionRequest } from './subscription-request';

export async function serveSubscription<TRouter extends AnyRouter>(
  opts: SSETransportOptions<TRouter>,
  request: SubscriptionRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const config = opts.router._def._config;
  const { path } = request;
  const abort = new AbortController();
  // A flag, not `signal.aborted` per message: that getter validates its receiver on every call.
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    abort.abort();
  };
  res.once('close', stop);
  const rawInput = async () => request.rawInput();

  let ctx: unknown;
  let iterable: AsyncIterable<unknown> | null = null;
  let stream: EventStream<never, unknown> | null = null;
  let failure: unknown = null;
  try {
    if (config.sse?.enabled === false) {
      throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Missing experimental flag "sseSubscriptions"' });
    }
    const connectionParams = request.connectionParams === null ? null : parseConnectionParamsFromString(request.connectionParams);
    const procedure = (opts.router._def.procedures as Record<string, unknown>)[path];
    ctx = await opts.createContext({
      req,
      res,
      info: {
        accept: null,
        type: 'subscription',
        isBatchCall: false,
        calls: [{ path, getRawInput: rawInput, result: request.inputForErrors, procedure: procedure as never, batchIndex: 0 }],
        connectionParams,
        signal: abort.signal,
        url: request.url,
      },
    });
    const result: unknown = await callProcedure({ router: opts.router, path, getRawInput: rawInput, ctx, type: 'subscription', signal: abort.signal, batchIndex: 0 });
    // Our event streams are delivered straight to a sink on the response (when values go out as
    // they are: see `plain` below); anything else is iterated.
    if (isEventStream(result) && config.transformer === defaultTransformer) stream = result as EventStream<never, unknown>;
    else if (isObservable(result)) iterable = observableToAsyncIterable(result, abort.signal);
    else if (isAsyncIterable(result)) iterable = result;
    else throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Subscription ${path} did not return an observable or a AsyncGenerator` });
  } catch (cause) {
    failure = cause;
  }

  if (stopped && stream) {
    // Gone while the procedure started: never started, the stream holds nothing to let go of.
    return;
  }
  const iterator = iterable?.[Symbol.asyncIterator]();
  if (stopped) {
    // Gone while the procedure started: let the generator unwind (and leave the hub).
    void iterator?.return?.(undefined)?.catch(() => {});
    return;
  }

  const sse = config.sse;
  // Only the default transformer leaves values as they are, which is what lets a message reuse
  // its events' shared JSON; any other transformer gets exactly what tRPC would write.
  const plain = config.transformer === defaultTransformer;
  const serialize = (value: unknown) => JSON.stringify(config.transformer.output.serialize(value));
  const fail = (cause: unknown) => {
    const error = getTRPCErrorFromUnknown(cause);
    const input = request.inputForErrors();
    opts.onError?.({ error, path, type: 'subscription', ctx, req, input });
    res.write(serializedErrorMessage(serialize(getErrorShape({ config, error, type: 'subscription', path, input, ctx }))));
  };

  res.writeHead(200, SSE_HEADERS);
  res.write(connectedMessage(sse?.client));
  const pingEvery = sse?.ping?.enabled ? (sse.ping.intervalMs ?? 1000) : 0;
  // maxDurationMs ends the response without `return`, so the client reconnects and resumes.
  const maxDuration = sse?.maxDurationMs ? setTimeout(stop, sse.maxDurationMs) : null;
  if (stream) {
    const ping = pingEvery > 0 && pingEvery !== Infinity ? idlePing(pingEvery, () => res.write(PING_MESSAGE)) : null;
    const sink = new SSESink(res, ping);
    stream.deliverTo(sink);
    const error = await sink.ended;
    ping?.stop();
    if (maxDuration) clearTimeout(maxDuration);
    if (!stopped) {
      if (error === null) res.write(RETURN_MESSAGE);
      else if (!isAbortError(error)) fail(error);
    }
    res.end();
    return;
  }
  if (!iterator) {
    if (maxDuration) clearTimeout(maxDuration);
    fail(failure);
    res.end();
    return;
  }

  const ping = pingEvery > 0 && pingEvery !== Infinity ? idlePing(pingEvery, () => res.write(PING_MESSAGE)) : null;
  try {
    // Each message is framed and written by `write`, never held in a local here: this frame stays
    // suspended in `iterator.next()` for the subscription's life, and V8 keeps a suspended frame's
    // registers, which would keep the last message (a snapshot, often tens of KB) alive.
    const write = (next: IteratorResult<unknown>): 'done' | 'full' | 'written' => {
      if (stopped) return 'done';
      if (next.done) {
        res.write(RETURN_MESSAGE);
        return 'done';
      }
      const value = next.value;
      ping?.wrote();
      const message = isTrackedEnvelope(value)
        ? plain
          ? trackedStreamMessage(value[0], value[1])
          : dataMessage(serialize(value[1]), value[0])
        : dataMessage(plain ? encodeStreamMessage(value) : serialize(value));
      return res.write(message) ? 'written' : 'full';
    };
    for (;;) {
      const step = write(await iterator.next());
      if (step === 'done') break;
      if (step === 'full') await drained(res, abort.signal);
    }
  } catch (cause) {
    if (!stopped && !isAbortError(cause)) fail(cause);
  } finally {
    ping?.stop();
    if (maxDuration) clearTimeout(maxDuration);
    if (stopped) void iterator.return?.(undefined)?.catch(() => {});
    res.end();
  }
}

/** Until the socket takes more, or the subscription is over (closed, or past maxDurationMs). */
function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done);
  });
}
