/** Reading subscriptions in tests: take messages until a condition holds, with a deadline. */
import type { Envelope } from '~/server/events/catalog';

type Message = { kind: string; event?: Envelope; events?: Envelope[]; snapshot?: unknown };

/** The events a subscription message carries (a batch is several). */
export function eventsOf(message: Message): Envelope[] {
  if (message.kind === 'event' && message.event) return [message.event];
  if (message.kind === 'batch' && message.events) return message.events;
  return [];
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${opts.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Collects the yields of a procedure-level subscription (createCaller) in the background.
 * `stop()` aborts it; `messages` holds what arrived, `events` the events flattened.
 */
export function collect<T>(iterable: AsyncIterable<T>, controller: AbortController) {
  const messages: T[] = [];
  const done = (async () => {
    try {
      for await (const message of iterable) messages.push(message);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return {
    messages,
    get events(): Envelope[] {
      return messages.flatMap((message) => eventsOf(unwrap(message) as Message));
    },
    async stop() {
      controller.abort();
      await done;
    },
    done,
  };
}

/** tracked() yields arrive as [id, data, symbol] tuples at procedure level; this gives the data. */
export function unwrap(message: unknown): Message {
  if (Array.isArray(message)) return message[1] as Message;
  if (message && typeof message === 'object' && 'data' in message && 'id' in message) return (message as { data: Message }).data;
  return message as Message;
}
