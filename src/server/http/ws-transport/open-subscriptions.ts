/**
 * One connection's open subscriptions by request id. Nearly every connection holds at most one,
 * so the first is kept in two fields and a Map is made only for a second at the same time: an
 * empty Map and its table cost about 200 bytes on every connection.
 */
import type { RequestId } from './frames';

/** An open subscription: an event stream's sink, or what the generic pump needs. */
export interface OpenSubscription {
  abort: AbortController;
  prefix: Buffer;
}

export class OpenSubscriptions {
  private soleId: RequestId = null;
  /** Null when the sole slot is free (whatever `more` holds). */
  private sole: OpenSubscription | null = null;
  private more: Map<RequestId, OpenSubscription> | null = null;

  get size(): number {
    return (this.sole ? 1 : 0) + (this.more?.size ?? 0);
  }

  get(id: RequestId): OpenSubscription | undefined {
    if (this.sole && this.soleId === id) return this.sole;
    return this.more?.get(id);
  }

  has(id: RequestId): boolean {
    return this.get(id) !== undefined;
  }

  /** Adds `id`, or replaces what it holds (a reserved entry becomes its sink). */
  set(id: RequestId, subscription: OpenSubscription): void {
    if (this.sole && this.soleId === id) this.sole = subscription;
    else if (this.more?.has(id)) this.more.set(id, subscription);
    else if (!this.sole) {
      this.soleId = id;
      this.sole = subscription;
    } else (this.more ??= new Map()).set(id, subscription);
  }

  delete(id: RequestId): void {
    if (this.sole && this.soleId === id) {
      this.sole = null;
      this.soleId = null;
    } else this.more?.delete(id);
  }

  /** The socket closed: aborts every open subscription and forgets them. */
  abortAll(): void {
    const sole = this.sole;
    const more = this.more;
    this.sole = null;
    this.soleId = null;
    this.more = null;
    sole?.abort.abort();
    if (more) for (const subscription of more.values()) subscription.abort.abort();
  }
}
