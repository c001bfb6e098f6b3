/**
 * What the contacts tests share: songwriter records written straight to the database (with their
 * name and IPI aliases, and credited tracks carrying labels and streams), people of a workspace
 * acting through the real router, and the `leads` subscription collected in the background.
 */
import { and, eq, inArray, max } from 'drizzle-orm';
import { leadsTypes } from '~/server/api/subscriptions';
import { events, songwriterAliases, songwriterCredits, songwriters, tracks, type ContactStage } from '~/server/db/schema';
import type { Envelope, EventType } from '~/server/events/catalog';
import type { Runtime } from '~/server/runtime';
import type { PublisherStatus, ScoreBreakdown } from '~/server/songwriters/types';
import { collect, waitFor } from '../support/iterate';
import { callerAs, type Person } from '../tags/support';

export { apiKeyOf, callerAs, outcomeOf, personIn, type Caller, type Person } from '../tags/support';

export interface SongwriterSeed {
  name: string;
  score?: number;
  publisherStatus?: PublisherStatus;
  breakdown?: ScoreBreakdown | null;
  ipis?: string[];
  /** Other credited names (display forms). */
  aliases?: string[];
  /** Credited tracks, by label and streams. */
  tracks?: Array<{ label: string | null; streams: number | null }>;
  firstSeenAt?: Date;
  mergedIntoId?: string | null;
}

let seeded = 0;

/** A songwriter record of the workspace, as the identity code would have built it; returns its id. */
export async function seedSongwriter(runtime: Runtime, workspaceId: string, seed: SongwriterSeed): Promise<string> {
  const n = ++seeded;
  const credited = seed.tracks ?? [];
  const [row] = await runtime.db
    .insert(songwriters)
    .values({
      workspaceId,
      name: seed.name,
      mergedIntoId: seed.mergedIntoId ?? null,
      score: seed.score ?? 0,
      scoreBreakdown: seed.breakdown ?? null,
      publisherStatus: seed.publisherStatus ?? 'unknown',
      trackCount: credited.length,
      totalStreams: credited.reduce((sum, t) => sum + (t.streams ?? 0), 0),
      firstSeenAt: seed.firstSeenAt ?? new Date('2025-03-03T00:00:00Z'),
    })
    .returning({ id: songwriters.id });
  const id = row!.id;
  const key = (name: string) => `${name.toLowerCase()} ${n}`;
  if (!seed.mergedIntoId) {
    const names = [seed.name, ...(seed.aliases ?? [])];
    await runtime.db.insert(songwriterAliases).values([
      ...names.map((display) => ({ workspaceId, kind: 'name' as const, key: key(display), display, songwriterId: id })),
      ...(seed.ipis ?? []).map((ipi) => ({ workspaceId, kind: 'ipi' as const, key: ipi, display: seed.name, songwriterId: id })),
    ]);
  }
  if (credited.length > 0) {
    const trackRows = await runtime.db
      .insert(tracks)
      .values(credited.map((t, i) => ({ workspaceId, spotifyId: `sw${n}t${i}`, name: `${seed.name} song ${i + 1}`, artist: seed.name, label: t.label, streams: t.streams })))
      .returning({ id: tracks.id });
    await runtime.db
      .insert(songwriterCredits)
      .values(trackRows.map((t) => ({ workspaceId, trackId: t.id, nameKey: key(seed.name), songwriterId: id, creditedName: seed.name, source: 'mlc' as const })));
  }
  return id;
}

/** The `leads` stream as `person` sees it, collected until `stop()`. Resolves once the first message came when starting fresh. */
export async function leadsStream(runtime: Runtime, person: Person, input: { songwriterId?: string; lastEventId?: string } = {}) {
  const controller = new AbortController();
  const iterable = await callerAs(runtime, person, controller.signal).leads(input);
  const sub = collect(iterable, controller);
  if (!input.lastEventId) {
    const deadline = Date.now() + 10_000;
    while (sub.messages.length === 0) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for the leads snapshot');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return sub;
}

export const ofType = <T extends EventType>(events: readonly Envelope[], type: T) => events.filter((e) => e.type === type) as Envelope<T>[];

/** The board's columns as `stage: [songwriter ids in order]`. */
export function columnsOf(board: { columns: Array<{ stage: ContactStage; cards: Array<{ id: string }> }> }): Record<ContactStage, string[]> {
  return Object.fromEntries(board.columns.map((column) => [column.stage, column.cards.map((card) => card.id)])) as Record<ContactStage, string[]>;
}

/** Waits until `sub` has received every leads event the workspace's outbox holds so far. */
export async function caughtUp(runtime: Runtime, sub: { messages: unknown[] }, workspaceId = (runtime as Runtime & { workspaceId: string }).workspaceId) {
  const [row] = await runtime.db
    .select({ seq: max(events.seq) })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), inArray(events.type, [...leadsTypes])));
  const last = Number(row?.seq ?? 0);
  if (last === 0) return;
  const target = runtime.log.idOf(last);
  await waitFor(() => sub.messages.some((message) => Array.isArray(message) && message[0] === target), { what: `leads event ${target}` });
}
