/** What the bench's processes say to each other over IPC, and the shape of a result row. */
export type BenchTransport = 'raw-ws' | 'ws' | 'sse';

export interface RowSpec {
  transport: BenchTransport;
  /** Durable micro-batching on (maxBatch 100) or off (maxBatch 1); raw ws never batches. */
  batching: boolean;
  n: number;
  /** Which handler serves the row: `ws`, ours (default) or tRPC's stock applyWSSHandler; `sse`,
   * SSE_TRANSPORT (left out: the server's default, which the result row then names). */
  handler?: 'linernotes' | 'trpc';
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
  ratio: number;
  handler?: 'linernotes' | 'trpc';
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
  | { kind: 'latency'; p50Ms: number; p99Ms: number; samples: number }
  | { kind: 'failed'; error: string };

/** Server process -> client process. */
export type ClientCommand = { kind: 'connect-rest' } | { kind: 'measure-latency'; on: boolean } | { kind: 'exit' };

export interface ClientSpec {
  url: string;
  transport: BenchTransport;
  n: number;
  /** The API key every subscriber authenticates with (Authorization: Bearer). */
  key: string;
}
