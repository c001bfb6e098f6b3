/**
 * A TCP proxy (node:net) that sits between real clients and the real app server and injects
 * network faults on command, each chosen by a seeded PRNG:
 *
 *   cut       destroy both sides of a connection at once
 *   delay     for a while, hold every chunk (both directions) 50-500 ms, order kept
 *   stall     stop forwarding (both directions) for 200-2000 ms, then release everything
 *   truncate  forward only part of the next chunk (either direction) then destroy both sides
 *   reset     `resetAndDestroy()` both sides (the client sees ECONNRESET)
 *
 * The proxy never decides when to fault: the test calls `injectRandomFault()` on its own clock,
 * so the PRNG sequence (seeded, printed, replayable with FAULT_SEED) picks the connection, the
 * kind, its duration and where a chunk is cut. Timing still varies from run to run (sockets), so
 * a replay reproduces the choices, not the exact interleaving.
 */
import net from 'node:net';

export const FAULT_KINDS = ['cut', 'delay', 'stall', 'truncate', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** mulberry32: small, fast, good enough to pick faults; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultProxyOptions {
  targetPort: number;
  targetHost?: string;
  random: () => number;
  /** A connection younger than this is not picked (so a fault mostly hits an established stream). */
  minAgeMs?: number;
  /** Relative weights of the kinds (default: equal). */
  weights?: Partial<Record<FaultKind, number>>;
}

type Direction = 'down' | 'up';

interface Held {
  chunk: Buffer;
  releaseAt: number;
}

/** One direction of one connection: chunks queue here and are written in order when due. */
class Lane {
  readonly queue: Held[] = [];
  queuedBytes = 0;
  timer: NodeJS.Timeout | null = null;
  blocked = false; // the destination's buffer is full: wait for drain

  constructor(
    readonly connection: ProxiedConnection,
    readonly direction: Direction,
    readonly from: net.Socket,
    readonly to: net.Socket,
  ) {}

  push(chunk: Buffer): void {
    const now = Date.now();
    const c = this.connection;
    let releaseAt = now;
    if (c.delayUntil > now) releaseAt = now + c.delayMs();
    releaseAt = Math.max(releaseAt, c.stallUntil, this.queue.at(-1)?.releaseAt ?? 0);
    this.queue.push({ chunk, releaseAt });
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > 4 << 20) this.from.pause();
    this.pump();
  }

  pump(): void {
    const c = this.connection;
    if (c.closed || this.blocked) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (;;) {
      const head = this.queue[0];
      if (!head) break;
      const now = Date.now();
      const due = Math.max(head.releaseAt, c.stallUntil);
      if (due > now) {
        this.timer = setTimeout(() => this.pump(), due - now);
        return;
      }
      this.queue.shift();
      this.queuedBytes -= head.chunk.length;
      if (c.truncate === this.direction) {
        c.truncate = null;
        c.truncateChunk(this.to, head.chunk);
        return;
      }
      if (!this.to.write(head.chunk)) {
        this.blocked = true;
        this.to.once('drain', () => {
          this.blocked = false;
          this.pump();
        });
        return;
      }
    }
    if (this.queuedBytes < 1 << 20 && this.from.isPaused()) this.from.resume();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}

export class ProxiedConnection {
  readonly openedAt = Date.now();
  closed = false;
  /** Forwarding of both directions waits until this time (a stall). */
  stallUntil = 0;
  /** Until this time each chunk is held delayMs() (a delay). */
  delayUntil = 0;
  /** The next chunk in this direction is cut short and the connection destroyed (a truncate). */
  truncate: Direction | null = null;
  truncateArmedAt = 0;
  bytesDown = 0;
  bytesUp = 0;
  private readonly down: Lane;
  private readonly up: Lane;

  constructor(
    readonly id: number,
    readonly client: net.Socket,
    readonly upstream: net.Socket,
    private readonly proxy: FaultProxy,
  ) {
    this.down = new Lane(this, 'down', upstream, client);
    this.up = new Lane(this, 'up', client, upstream);
    upstream.on('data', (chunk: Buffer) => {
      this.bytesDown += chunk.length;
      this.down.push(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      this.bytesUp += chunk.length;
      this.up.push(chunk);
    });
    // A side that ends cleanly ends the other once what is queued for it has gone out.
    upstream.on('end', () => this.endAfterQueue(this.down, client));
    client.on('end', () => this.endAfterQueue(this.up, upstream));
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.destroy());
      socket.on('close', () => this.destroy());
    }
  }

  delayMs(): number {
    return 50 + Math.floor(this.proxy.chunkRandom() * 451);
  }

  private endAfterQueue(lane: Lane, to: net.Socket): void {
    const finish = () => (lane.queue.length === 0 ? to.end() : setTimeout(finish, 20));
    finish();
  }

  /** Forwards a random non-empty proper prefix of `chunk` (nothing of a 1-byte chunk), then destroys both sides. */
  truncateChunk(to: net.Socket, chunk: Buffer): void {
    const keep = chunk.length < 2 ? 0 : 1 + Math.floor(this.proxy.chunkRandom() * (chunk.length - 1));
    this.proxy.count('truncate');
    if (keep === 0) return this.destroy();
    // Destroy only once the partial bytes were handed to the kernel, so the peer really reads a cut frame.
    const fallback = setTimeout(() => this.destroy(), 200);
    to.write(chunk.subarray(0, keep), () => {
      clearTimeout(fallback);
      this.destroy();
    });
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.down.stop();
    this.up.stop();
    this.client.destroy();
    this.upstream.destroy();
    this.proxy.forget(this);
  }

  reset(): void {
    if (this.closed) return;
    this.closed = true;
    this.down.stop();
    this.up.stop();
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (!this.upstream.destroyed) this.upstream.resetAndDestroy();
    this.proxy.forget(this);
  }

  /** Re-runs both lanes (a stall or delay ended, so held chunks may be due). */
  wake(): void {
    this.down.pump();
    this.up.pump();
  }
}

export class FaultProxy {
  readonly server: net.Server;
  readonly connections = new Set<ProxiedConnection>();
  readonly faults: Record<FaultKind, number> = { cut: 0, delay: 0, stall: 0, truncate: 0, reset: 0 };
  accepted = 0;
  /** injectRandomFault calls that found no connection to fault (all were reconnecting). */
  missed = 0;
  port = 0;
  private nextId = 0;
  private readonly kinds: { kind: FaultKind; weight: number }[];
  private readonly totalWeight: number;

  constructor(readonly opts: FaultProxyOptions) {
    this.random = opts.random;
    // Per-chunk choices (delay lengths, truncation points) depend on traffic: a second stream, seeded
    // from the first, keeps the connection-level choices the same sequence whatever the traffic.
    this.chunkRandom = seededRandom(Math.floor(opts.random() * 2 ** 32));
    this.kinds = FAULT_KINDS.map((kind) => ({ kind, weight: opts.weights?.[kind] ?? 1 }));
    this.totalWeight = this.kinds.reduce((sum, k) => sum + k.weight, 0);
    this.server = net.createServer({ noDelay: true }, (client) => this.accept(client));
  }

  readonly random: () => number;
  readonly chunkRandom: () => number;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get totalFaults(): number {
    return Object.values(this.faults).reduce((a, b) => a + b, 0);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    client.pause(); // until the upstream is connected
    const upstream = net.connect({ port: this.opts.targetPort, host: this.opts.targetHost ?? '127.0.0.1', noDelay: true });
    const connection = new ProxiedConnection(++this.nextId, client, upstream, this);
    this.connections.add(connection);
    upstream.once('connect', () => client.resume());
  }

  forget(connection: ProxiedConnection): void {
    this.connections.delete(connection);
  }

  count(kind: FaultKind): void {
    this.faults[kind]++;
  }

  private pickKind(): FaultKind {
    let r = this.random() * this.totalWeight;
    for (const { kind, weight } of this.kinds) {
      if ((r -= weight) < 0) return kind;
    }
    return this.kinds.at(-1)!.kind;
  }

  /**
   * Picks a connection and a fault with the PRNG and applies it. Returns the kind, or null when no
   * connection is eligible. A truncate is counted when it fires (the next chunk); the others now.
   */
  injectRandomFault(): FaultKind | null {
    const now = Date.now();
    const minAge = this.opts.minAgeMs ?? 0;
    const eligible = [...this.connections].filter((c) => !c.closed && now - c.openedAt >= minAge && c.truncate === null);
    // Draw the kind first so the PRNG sequence does not depend on how many connections are open.
    const kind = this.pickKind();
    const pick = this.random();
    if (eligible.length === 0) {
      this.missed++;
      return null;
    }
    const victim = eligible[Math.floor(pick * eligible.length)]!;
    switch (kind) {
      case 'cut':
        this.count('cut');
        victim.destroy();
        break;
      case 'reset':
        this.count('reset');
        victim.reset();
        break;
      case 'delay': {
        this.count('delay');
        const forMs = 300 + Math.floor(this.random() * 1200);
        victim.delayUntil = Math.max(victim.delayUntil, now + forMs);
        break;
      }
      case 'stall': {
        this.count('stall');
        const forMs = 200 + Math.floor(this.random() * 1800);
        victim.stallUntil = Math.max(victim.stallUntil, now + forMs);
        setTimeout(() => victim.wake(), forMs + 1).unref();
        break;
      }
      case 'truncate':
        // Mostly server -> client: a frame or SSE message cut in the middle is the interesting case.
        victim.truncate = this.random() < 0.75 ? 'down' : 'up';
        victim.truncateArmedAt = now;
        break;
    }
    return kind;
  }

  /** Truncates armed long ago on a quiet connection (no chunk came) are dropped without counting. */
  expireIdleTruncates(olderThanMs: number): void {
    const now = Date.now();
    for (const c of this.connections) if (c.truncate && now - c.truncateArmedAt > olderThanMs) c.truncate = null;
  }

  /** Stops injecting: clears stalls, delays and armed truncates so traffic flows freely again. */
  calm(): void {
    for (const c of this.connections) {
      c.truncate = null;
      c.delayUntil = 0;
      c.stallUntil = 0;
      c.wake();
    }
  }

  async close(): Promise<void> {
    for (const c of [...this.connections]) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  return new FaultProxy(opts).listen();
}
