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
import { isEventStream } from '../../events/stream';
import { CorkedSender } from './corked-sender';
import { dataFrame, errorFrame, framePrefix, resultFrame, startedFrame, stoppedFrame, trackedDataFrame, type RequestId } from './frames';
import { InboundRate } from './inbound-rate';
import { KeepAlive } from './keep-alive';
import { OpenSubscriptions } from './open-subscriptions';
import { SubscriptionSink, type SubscriptionEnds } from './subscription-sink';
import type { RequestSummary, WSTransportOptions } from './ws-transport';

type ProcedureType = 'query' | 'mutation' | 'subscription';

/** Each socket's connection, for the socket's listeners below. */
const connections = new WeakMap<WebSocket, Connection<AnyRouter>>();

export function serveConnection<TRouter extends AnyRouter>(opts: WSTransportOptions<TRouter>, socket: WebSocket, req: IncomingMessage): void {
  connections.set(socket, new Connection(opts, socket, req) as unknown as Connection<AnyRouter>);
  // Shared listeners that find their connection from `this` (ws calls them with the socket): three
  // closures and their scope per connection otherwise.
  socket.on('message', onSocketMessage);
  socket.on('error', onSocketError);
  socket.once('close', onSocketClose);
}

function onSocketMessage(this: WebSocket, raw: RawData, isBinary: boolean): void {
  connections.get(this)?.onMessage(raw, isBinary);
}

function onSocketError(this: WebSocket, cause: unknown): void {
  connections.get(this)?.onSocketError(cause);
}

function onSocketClose(this: WebSocket): void {
  connections.get(this)?.onClose();
}

/**
 * One connection's state and its handlers. A class rather than closures over serveConnection's
 * scope: one exists per connected client, and under tsx every named closure carries its own
 * `name` property (about 250 bytes), which showed in the memory per subscriber.
 */
class Connection<TRouter extends AnyRouter> implements SubscriptionEnds {
  private readonly config: TRouter['_def']['_config'];
  private readonly subscriptions = new OpenSubscriptions();
  /** Behind createContext's `info.signal`, made only if it reads it (an AbortSignal costs about 500 bytes). */
  private closed: AbortController | null = null;
  private isClosed = false;
  private readonly inbound: InboundRate;
  private readonly alive: KeepAlive | null;
  /** Live events of every subscription on this socket, written from the hub's fan-out: one writev a tick. */
  private readonly live: CorkedSender;
  private ctx: unknown;
  /**
   * Whether the context exists: null until the connectionParams message when the URL asks for one,
   * then a promise, then (settled) its boolean, so no settled promise is kept per connection.
   */
  private ready: Promise<boolean> | boolean | null;

  /**
   * The upgrade request while the context is being made (createContext reads it); then only what
   * onError is given, as a small plain record (requestSummary), so the request, its headers, its
   * stream state and what was memoized on it are not kept for the socket's whole life.
   */
  private req: IncomingMessage | RequestSummary;

  constructor(
    private readonly opts: WSTransportOptions<TRouter>,
    private readonly socket: WebSocket,
    req: IncomingMessage,
  ) {
    this.req = req;
    this.config = opts.router._def._config;
    this.inbound = new InboundRate(opts.limits.maxInboundMessagesPerSecond);
    this.alive = opts.keepAlive?.enabled ? new KeepAlive(socket, opts.keepAlive.pingMs, opts.keepAlive.pongWaitMs) : null;
    this.live = new CorkedSender(socket, req.socket ?? null);
    const wantsConnectionParams = new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
    this.ready = wantsConnectionParams ? null : this.createContextFor(null);
  }

  onMessage(raw: RawData, isBinary: boolean): void {
    this.alive?.onMessage();
    if (!isBinary && !Array.isArray(raw)) {
      const text = raw.toString();
      if (text === 'PONG') return;
      if (text === 'PING') return void this.socket.send('PONG');
      return this.receive(text);
    }
    this.respondError({ id: null }, new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: 'Unexpected WebSocket message format: send JSON text frames.' }), 'unknown');
  }

  onSocketError(cause: unknown): void {
    this.opts.onError?.({ error: getTRPCErrorFromUnknown(cause), path: undefined, type: 'unknown', ctx: this.ctx, req: this.req, input: undefined });
  }

  onClose(): void {
    this.alive?.stop();
    this.subscriptions.abortAll();
    this.isClosed = true;
    this.closed?.abort();
  }

  /** Aborts when the socket closes (already aborted when it has). */
  lifetime(): AbortSignal {
    if (!this.closed) {
      this.closed = new AbortController();
      if (this.isClosed) this.closed.abort();
    }
    return this.closed.signal;
  }

  private send(frame: Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }

  private respondError(target: { id: RequestId; jsonrpc?: '2.0' }, cause: unknown, type: ProcedureType | 'unknown', path?: string, input?: unknown): void {
    const error = getTRPCErrorFromUnknown(cause);
    const { ctx, req } = this;
    this.opts.onError?.({ error, path, type, ctx, req, input });
    this.send(errorFrame(framePrefix(target), getErrorShape({ config: this.config, error, type, path, input, ctx })));
  }

  /** `paramsText` is the client's connectionParams message, or null when the URL did not ask for one. */
  private async createContextFor(paramsText: string | null): Promise<boolean> {
    const req = this.req as IncomingMessage;
    const connection = this;
    try {
      const connectionParams = paramsText === null ? null : parseConnectionParams(paramsText);
      this.ctx = await this.opts.createContext({
        req,
        res: this.socket,
        info: {
          connectionParams,
          calls: [],
          isBatchCall: false,
          accept: null,
          type: 'unknown',
          get signal() {
            return connection.lifetime();
          },
          url: null,
        },
      });
      this.req = requestSummary(req);
      this.ready = true;
      return true;
    } catch (cause) {
      this.respondError({ id: null }, cause, 'unknown');
      this.req = requestSummary(req);
      this.ready = false;
      setImmediate(() => this.socket.close());
      return false;
    }
  }

  private receive(text: string): void {
    if (this.ready === null) {
      this.ready = this.createContextFor(text);
      return;
    }
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = JSON.parse(text);
      messages = (Array.isArray(json) ? json : [json]).map((raw) => parseTRPCMessage(raw, this.config.transformer) as TRPCClientOutgoingMessage);
    } catch (cause) {
      return this.respondError({ id: null }, new TRPCError({ code: 'PARSE_ERROR', message: 'That message is not a tRPC request.', cause }), 'unknown');
    }
    for (const msg of messages) void this.handle(msg);
  }

  /**
   * Every check (rate, duplicate id, subscription cap) runs synchronously when the message is
   * read, before any work and before the next message of the same frame: a frame of many
   * subscribes cannot pass the cap or reuse an id, and a refused message costs nothing more.
   */
  private async handle(msg: TRPCClientOutgoingMessage): Promise<void> {
    const { id, jsonrpc } = msg;
    const target = { id, jsonrpc };
    if (id === null) return this.respondError(target, new TRPCError({ code: 'PARSE_ERROR', message: '`id` is required' }), 'unknown');
    if (msg.method === 'subscription.stop') return this.stop(id);
    const type = msg.method as ProcedureType;
    const { path, lastEventId } = msg.params;
    let input = msg.params.input;
    if (lastEventId !== undefined) input = isPlainObject(input) ? { ...input, lastEventId } : (input ?? { lastEventId });
    const { limits, router } = this.opts;
    const subscriptions = this.subscriptions;
    const abort = new AbortController();
    const prefix = framePrefix(target);
    try {
      if (!this.inbound.admit()) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `This connection sent more than ${limits.maxInboundMessagesPerSecond} requests in one second; wait a second and retry.`,
        });
      }
      if (type === 'subscription') {
        if (subscriptions.has(id)) throw new TRPCError({ code: 'BAD_REQUEST', message: `A subscription with id ${id} is already open on this connection; use a new id.` });
        if (subscriptions.size >= limits.maxSubscriptionsPerConnection) {
          throw new TRPCError({
            code: 'TOO_MANY_REQUESTS',
            message: `This connection already has ${subscriptions.size} open subscriptions (the limit); stop one before starting another.`,
          });
        }
        // Reserved now, in the same synchronous run as the checks: the next message sees it.
        subscriptions.set(id, { abort, prefix });
      }
    } catch (cause) {
      return this.respondError(target, cause, type, path, input);
    }
    try {
      if (!(await this.ready)) {
        if (type === 'subscription') subscriptions.delete(id);
        return;
      }
      let result: unknown;
      try {
        result = await callProcedure({ router, path, getRawInput: async () => input, ctx: this.ctx, type, signal: abort.signal, batchIndex: 0 });
      } catch (error) {
        if (type === 'subscription' && subscriptions.get(id)?.abort === abort) subscriptions.delete(id);
        throw error;
      }
      if (type !== 'subscription') {
        if (isAsyncIterable(result)) {
          throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `Cannot return an async iterable from a ${type} procedure with WebSockets` });
        }
        this.send(resultFrame(prefix, { type: 'data', data: result }));
        return;
      }
      if (!isAsyncIterable(result)) {
        subscriptions.delete(id);
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Subscription ${path} did not return an AsyncGenerator` });
      }
      if (abort.signal.aborted) return; // stopped (or the socket closed) while the procedure started
      this.send(startedFrame(prefix));
      if (isEventStream(result)) {
        // Our event streams are delivered straight to a sink on this socket: no iterator, no pump.
        const sink = new SubscriptionSink(id, prefix, this.live, abort, this, path, input);
        if (subscriptions.get(id)?.abort === abort) subscriptions.set(id, sink);
        result.deliverTo(sink);
      } else {
        void this.pump(id, prefix, abort, result as AsyncIterable<unknown>, path, input);
      }
    } catch (cause) {
      this.respondError(target, cause, type, path, input);
    }
  }

  /** An event stream's delivery ended by itself: `stopped`, or its error (revoked access, a failed query). */
  subscriptionEnded(sink: SubscriptionSink, error: unknown): void {
    if (this.subscriptions.get(sink.id) === sink) this.subscriptions.delete(sink.id);
    if (error === null) this.send(stoppedFrame(sink.prefix));
    else {
      this.respondError({ id: sink.id, jsonrpc: undefined }, error, 'subscription', sink.path, sink.input);
      sink.abort.abort();
    }
  }

  /** Sends what one subscription (other than an event stream) yields until it ends, fails or is stopped. */
  private async pump(id: RequestId, prefix: Buffer, abort: AbortController, iterable: AsyncIterable<unknown>, path: string, input: unknown): Promise<void> {
    const iterator = iterable[Symbol.asyncIterator]();
    try {
      for (;;) {
        // Read per message, not a flag set by a listener: our event streams do not come here, so it
        // carries few messages, and a listener would cost every open subscription memory.
        // The message is sent by another function and never held in a local here: this frame stays
        // suspended in `iterator.next()` for the subscription's life, and V8 keeps a suspended
        // frame's registers, which would keep the last message (a snapshot, often tens of KB) alive.
        const more = this.sendNext(await iterator.next(), prefix, abort);
        if (abort.signal.aborted) return;
        if (!more) break;
      }
      this.subscriptions.delete(id);
      this.send(stoppedFrame(prefix));
    } catch (cause) {
      if (abort.signal.aborted) return;
      this.subscriptions.delete(id);
      this.respondError({ id, jsonrpc: undefined }, cause, 'subscription', path, input);
      abort.abort();
    } finally {
      if (abort.signal.aborted) void iterator.return?.(undefined)?.catch(() => {});
    }
  }

  /** Sends one message of a subscription; false when the iterator is done (or the subscription stopped). */
  private sendNext(next: IteratorResult<unknown>, prefix: Buffer, abort: AbortController): boolean {
    if (abort.signal.aborted || next.done) return false;
    const value = next.value;
    if (isTrackedEnvelope(value)) this.send(trackedDataFrame(prefix, value[0], value[1]));
    else this.send(dataFrame(prefix, value));
    return true;
  }

  /** A client's stop: answered at once; the procedure sees its signal abort and unwinds. */
  private stop(id: RequestId): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    this.subscriptions.delete(id);
    subscription.abort.abort();
    this.send(stoppedFrame(subscription.prefix));
  }
}

/**
 * What onError gets as `req` once the context exists: method, URL and the proxy's x-request-id
 * (what the app's error log reads), not the IncomingMessage. One small object per connection, so
 * an id generated for it on the first error is the same for every later error of this socket.
 */
function requestSummary(req: IncomingMessage): RequestSummary {
  const requestId = req.headers['x-request-id'];
  return { method: req.method, url: req.url, headers: requestId === undefined ? {} : { 'x-request-id': requestId } };
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
