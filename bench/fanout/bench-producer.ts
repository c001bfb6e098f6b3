/**
 * A bench-only producer: durable activity_logged envelopes with outbox-style ids, handed straight
 * to the process's bus (publishCommitted), so the figures measure fan-out, not PGlite's inserts.
 * Each event carries its emit time (ms since the epoch, sub-ms precision) in `data.message`.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '~/server/events/catalog';
import type { Runtime } from '~/server/runtime';

export function benchProducer(runtime: Runtime, workspaceId: string, firstSeq: number) {
  let seq = firstSeq;
  const activityId = randomUUID();
  return {
    emit(): void {
      seq++;
      const now = performance.timeOrigin + performance.now();
      const at = new Date(now).toISOString();
      const event = {
        id: runtime.log.idOf(seq),
        type: 'activity_logged',
        at,
        workspaceId,
        keys: {},
        data: { activityId, kind: 'bench', message: now.toFixed(3), createdAt: at },
      } as Envelope;
      runtime.bus.publishCommitted([event]);
    },
    get emitted() {
      return seq - firstSeq;
    },
  };
}
