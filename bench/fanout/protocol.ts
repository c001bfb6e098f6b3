/** What the bench's processes say to each other over IPC, and the shape of a result row. */
export type BenchTransport = 'raw-ws' | 'raw-ws-corked' | 'ws' | 'sse';

/** Who the subscribers are: the bench's own wire-protocol clients, or the stock `@trpc/client`. */
export type BenchClient = 'wire' | 'trpc-client';

/** The two baselines every row is compared to (both `ws` broadcast servers fed by the same bus). */
export const BASELINES = ['raw-ws', 'raw-ws-corked'] as const;

export interface RowSpec {
  transport: BenchTransport;
  /** Durable micro-batching on (maxBatch 100) or off (maxBatch 1); raw ws never batches. */
  batching: boolean;
  n: number;
  /** Which handler serves the row: `ws`, ours (default) or tRPC's stock applyWSSHandler; `sse`,
   * SSE_TRANSPORT (left out: the server's default, which the result row then names). */
  handler?: 'linernotes' | 'trpc';
  /** The subscribers (default `wire`: all N in one process speaking the protocol directly). */
  client?: BenchClient;
  /** How many client processes share the N subscribers (default 1). */
  clientProcesses?: number;
}

export interface Row {
  transport: BenchTransport;
  batching: boolean;
  n: number;
  msgsPerSec: number;
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerMsg: number;
  rssKbPerSubscriber: number;
  /** Extra to the columns: JS heap + external buffers per subscriber (after GC, same slope). */
  heapKbPerSubscriber: number;
  /** msgs/s over the naive raw-ws row's msgs/s (same N, same run); 0 when that row was not run. */
  ratio: number;
  /** msgs/s over the corked raw-ws row's msgs/s. */
  ratioCorked: number;
  /** events/s over the naive raw-ws row's msgs/s (a raw row sends one event per message). */
  eventsRatio: number;
  /** events/s over the corked raw-ws row's msgs/s. */
  eventsRatioCorked: number;
  /** p99 latency over the naive raw-ws row's p99 (below 1 is better). */
  p99Ratio: number;
  /** p99 latency over the corked raw-ws row's p99. */
  p99RatioCorked: number;
  handler?: 'linernotes' | 'trpc';
  /** Present for rows whose subscribers are not the bench's wire clients. */
  client?: BenchClient;
  /** Present when the subscribers were spread over more than one client process. */
  clientProcesses?: number;
}

export interface Timing {
  warmupMs: number;
  saturationMs: number;
  latencyMs: number;
  /** Fixed delivery rate of the latency phase, messages/s over all subscribers. */
  latencyMsgsPerSec: number;
}

/** Client process -> server process. */
export type ClientReport =
  | { kind: 'half-ready' }
  | { kind: 'ready' }
  | { kind: 'progress'; messages: number; events: number }
  /** Every emit-to-receive time of the latency phase (ms); the server merges the processes'. */
  | { kind: 'latency'; latencies: number[] }
  | { kind: 'failed'; error: string };

/** Server process -> client process. */
export type ClientCommand = { kind: 'connect-rest' } | { kind: 'measure-latency'; on: boolean } | { kind: 'exit' };

export interface ClientSpec {
  url: string;
  transport: BenchTransport;
  /** Subscribers in this client process. */
  n: number;
  /** The API key every subscriber authenticates with (Authorization: Bearer, or connectionParams). */
  key: string;
  client: BenchClient;
}
