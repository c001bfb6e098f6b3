/** Event ids are `${epoch}:${seq}`: the outbox position, and which stream it belongs to. */
export interface EventPosition {
  epoch: string;
  seq: number;
}

export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}:\d{1,18}$/;

export function formatEventId(epoch: string, seq: number): string {
  return `${epoch}:${seq}`;
}

export function parseEventId(id: string): EventPosition | null {
  if (!EVENT_ID_PATTERN.test(id)) return null;
  const at = id.lastIndexOf(':');
  return { epoch: id.slice(0, at), seq: Number(id.slice(at + 1)) };
}
